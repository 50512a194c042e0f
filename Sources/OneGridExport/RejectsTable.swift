import OneGridWarehouse

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
        try context.reader.rejects(context.filter) { r in
            let raw: ExportValue = context.pii.level == .clear
                ? try context.pii.openRaw(r.raw, feed: r.feed, rejectID: r.id)
                : .null
            try emit([
                .integer(r.id), .text(r.feed), .string(r.path), .int(r.line), .int(r.byteOffset), .int(r.recordOrdinal),
                .string(r.field), .string(r.reason), .string(r.message), .seconds(r.loadedAt), .seconds(r.replayedAt), raw,
            ])
        }
    }
}
