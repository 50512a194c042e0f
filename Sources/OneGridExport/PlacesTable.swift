import GRDB

/// `places`: one row per resolved place, with its standard address match and how many of
/// the filtered events happened there. When an event filter (time, feed, category) is
/// set, places without any such event are left out.
enum PlacesTable {
    static let columns: [ExportColumn] = [
        .init("place_id", "地点ID"), .init("place_key", "地点键"), .init("text", "地址原文"),
        .init("std_address_id", "标准地址编码"), .init("std_address", "标准地址"),
        .init("grid_code", "网格编码"), .init("grid_name", "网格名称"),
        .init("community_code", "社区编码"), .init("street_code", "街道编码"), .init("district_code", "区编码"),
        .init("lng", "经度"), .init("lat", "纬度"), .init("method", "匹配方式"), .init("confidence", "匹配置信度"),
        .init("event_count", "事件数"),
    ]

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        var eventFilter = context.filter
        eventFilter.district = nil; eventFilter.street = nil; eventFilter.community = nil; eventFilter.grid = nil
        let events = eventFilter.clause(.event("e"))
        var placeColumns = ExportFilter.Columns()
        placeColumns.district = "pl.district_code"; placeColumns.street = "pl.street_code"
        placeColumns.community = "pl.community_code"; placeColumns.grid = "pl.grid_code"
        let places = context.filter.clause(placeColumns)
        let needEvents = !events.applied.isEmpty
        var arguments = events.arguments
        _ = arguments.append(contentsOf: places.arguments)
        let cursor = try Row.fetchCursor(context.db, sql: """
            SELECT pl.id, pl.place_key, pl.text, pl.std_address_id, sa.address, pl.grid_code, pl.community_code,
                   pl.street_code, pl.district_code, pl.lng, pl.lat, pl.method, pl.confidence, coalesce(c.n, 0)
            FROM place pl
            LEFT JOIN std_address sa ON sa.id = pl.std_address_id
            LEFT JOIN (SELECT e.place_id, count(*) AS n FROM event e WHERE e.place_id IS NOT NULL AND \(events.sql)
                       GROUP BY e.place_id) c ON c.place_id = pl.id
            WHERE \(places.sql)\(needEvents ? " AND c.n > 0" : "")
            ORDER BY pl.id
            """, arguments: arguments)
        let refs = context.references
        while let r = try cursor.next() {
            let grid: String? = r[5]
            try emit([
                .integer(r[0]), .string(r[1]), .string(r[2]), .string(r[3]), .string(r[4]),
                .string(grid), refs.grid(grid), .string(r[6]), .string(r[7]), .string(r[8]),
                .real(r[9] as Double?, places: 6), .real(r[10] as Double?, places: 6),
                .string(r[11]), .real(r[12] as Double?, places: 3), .integer(r[13]),
            ])
        }
        return events.applied.union(places.applied)
    }
}
