import Foundation
import GRDB

/// `rejects`: records that could not be loaded, with where they came from and why, for
/// correction and re-submission. Time filters apply to when the file was loaded; the feed
/// filter to the reject's feed. The raw record is only given at `--pii clear` (it is
/// sealed in the warehouse and may hold personal data).
enum RejectsTable {
    static let columns: [ExportColumn] = [
        .init("reject_id", "拒收ID"), .init("feed", "数据来源"), .init("file", "文件"), .init("line", "行号"),
        .init("byte_offset", "字节偏移"), .init("record_ordinal", "记录序号"), .init("field", "字段"),
        .init("reason", "原因代码"), .init("message", "说明"), .init("loaded_at", "导入时间"),
        .init("replayed_at", "重新提交时间"), .init("raw", "原始记录"),
    ]

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        var columns = ExportFilter.Columns()
        columns.time = "f.started_at"
        columns.source = "r.feed"
        let clause = context.filter.clause(columns)
        let cursor = try Row.fetchCursor(context.db, sql: """
            SELECT r.id, r.feed, f.path, r.line, r.byte_offset, r.record_ordinal, r.field, r.reason, r.message,
                   f.started_at, r.replayed_at, r.raw
            FROM reject r JOIN source_file f ON f.id = r.source_file_id
            WHERE \(clause.sql)
            ORDER BY r.id
            """, arguments: clause.arguments)
        while let r = try cursor.next() {
            let id: Int64 = r[0]
            let feed: String = r[1]
            let raw: ExportValue = context.pii.level == .clear
                ? try context.pii.openRaw(Array((r[11] as Data?) ?? Data()), feed: feed, rejectID: id)
                : .null
            try emit([
                .integer(id), .text(feed), .string(r[2]), .integer(r[3]), .integer(r[4]), .integer(r[5]),
                .string(r[6]), .string(r[7]), .string(r[8]), .seconds(r[9]), .seconds(r[10]), raw,
            ])
        }
        return clause.applied
    }
}
