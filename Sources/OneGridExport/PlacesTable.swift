import OneGridWarehouse

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
        let refs = context.references
        return try context.reader.places(context.filter) { r in
            try emit([
                .integer(r.id), .string(r.placeKey), .string(r.text), .string(r.stdAddressID), .string(r.stdAddress),
                .string(r.gridCode), refs.grid(r.gridCode), .string(r.communityCode), .string(r.streetCode), .string(r.districtCode),
                .real(r.lng, places: 6), .real(r.lat, places: 6),
                .string(r.method), .real(r.confidence, places: 3), .integer(r.eventCount),
            ])
        }
    }
}
