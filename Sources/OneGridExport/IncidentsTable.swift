import OneGridWarehouse

/// `incidents`: one row per incident (one real-world matter seen through several feeds).
/// Time filters keep incidents whose reports overlap the window; a feed filter keeps
/// incidents seen in that feed. The last three columns say why its events were joined (each
/// linking rule with its count, the weakest link's score, the category relations), so an
/// analyst can audit a join (`IncidentLinkRule`).
enum IncidentsTable {
    static let columns: [ExportColumn] = [
        .init("incident_id", "事项ID"), .init("place", "地点"), .init("std_address_id", "标准地址编码"),
        .init("grid_code", "网格编码"), .init("grid_name", "网格名称"),
        .init("community_name", "社区"), .init("street_name", "街道"), .init("district_name", "区"),
        .init("category_code", "分类编码"), .init("category_name", "分类"),
        .init("first_report", "首次上报时间"), .init("last_report", "最近上报时间"),
        .init("sources", "来源部门"), .init("source_count", "来源部门数"), .init("event_count", "事件数"),
        .init("is_open", "是否未办结"), .init("state", "办理状态"),
        .init("link_rules", "关联依据"), .init("weakest_link_score", "最弱关联得分"), .init("link_categories", "关联分类关系"),
    ]

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        let refs = context.references
        return try context.reader.incidents(context.filter) { r in
            let grid = r.gridCode
            let codes = divisionCodes(ofGrid: grid)
            let evidence = try context.reader.incidentEvidence(id: r.id)
            let sources = (r.sources ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
            try emit([
                .integer(r.id), .string(r.place), .string(r.stdAddressID),
                .string(grid), refs.grid(grid),
                refs.division(codes.community), refs.division(codes.street), refs.division(codes.district),
                .string(r.category), refs.category(r.category),
                .seconds(r.firstReport), .seconds(r.lastReport),
                .string(sources.joined(separator: ",")), .integer(Int64(sources.count)), .int(r.eventCount),
                .integer(r.isOpen ? 1 : 0), .text(r.isOpen ? "未办结" : "已办结"),
                .text(evidence.rules), .real(evidence.weakestScore, places: 4), .text(evidence.categories),
            ])
        }
    }
}
