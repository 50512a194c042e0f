import GRDB

/// `incidents`: one row per incident (one real-world matter seen through several feeds).
/// Time filters keep incidents whose reports overlap the window; a feed filter keeps
/// incidents seen in that feed.
enum IncidentsTable {
    static let columns: [ExportColumn] = [
        .init("incident_id", "事项ID"), .init("place", "地点"), .init("std_address_id", "标准地址编码"),
        .init("grid_code", "网格编码"), .init("grid_name", "网格名称"),
        .init("community_name", "社区"), .init("street_name", "街道"), .init("district_name", "区"),
        .init("category_code", "分类编码"), .init("category_name", "分类"),
        .init("first_report", "首次上报时间"), .init("last_report", "最近上报时间"),
        .init("sources", "来源部门"), .init("source_count", "来源部门数"), .init("event_count", "事件数"),
        .init("is_open", "是否未办结"), .init("state", "办理状态"),
    ]

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        var columns = ExportFilter.Columns.gridOnly("i.grid_code")
        columns.sourceList = "i.sources"
        columns.category = "i.category"
        var clause = context.filter.clause(columns)
        // Overlap with [since, until): the last report is not before since, the first is before until.
        var timeParts: [String] = []
        var arguments = clause.arguments
        if let since = context.filter.since {
            timeParts.append("i.last_report >= ?"); _ = arguments.append(contentsOf: [since.seconds]); clause.applied.insert("since")
        }
        if let until = context.filter.until {
            timeParts.append("i.first_report < ?"); _ = arguments.append(contentsOf: [until.seconds]); clause.applied.insert("until")
        }
        let condition = ([clause.sql] + timeParts).joined(separator: " AND ")
        let cursor = try Row.fetchCursor(context.db, sql: """
            SELECT i.id, coalesce(sa.address, (SELECT p.text FROM place p WHERE p.place_key = i.place_key)),
                   i.std_address_id, i.grid_code, i.category, i.first_report, i.last_report, i.sources,
                   i.event_count, i.is_open
            FROM incident i LEFT JOIN std_address sa ON sa.id = i.std_address_id
            WHERE \(condition)
            ORDER BY i.id
            """, arguments: arguments)
        let refs = context.references
        while let r = try cursor.next() {
            let grid: String? = r[3]
            let codes = divisionCodes(ofGrid: grid)
            let sources = ((r[7] as String?) ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
            let open: Int64 = r[9]
            try emit([
                .integer(r[0]), .string(r[1]), .string(r[2]),
                .string(grid), refs.grid(grid),
                refs.division(codes.community), refs.division(codes.street), refs.division(codes.district),
                .string(r[4]), refs.category(r[4]),
                .seconds(r[5]), .seconds(r[6]),
                .string(sources.joined(separator: ",")), .integer(Int64(sources.count)), .integer(r[8]),
                .integer(open != 0 ? 1 : 0), .text(open != 0 ? "未办结" : "已办结"),
            ])
        }
        return clause.applied
    }
}
