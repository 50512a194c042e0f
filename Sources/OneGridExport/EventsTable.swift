import GRDB
import OneGridModel

/// `events`: one row per event (its current version), with its category levels, times,
/// places, divisions, incident and people.
enum EventsTable {
    static let columns: [ExportColumn] = [
        .init("event_id", "事件ID"), .init("source", "数据来源"), .init("source_key", "来源编号"),
        .init("domain_code", "一级分类编码"), .init("domain_name", "一级分类"),
        .init("class_code", "二级分类编码"), .init("class_name", "二级分类"),
        .init("subclass_code", "三级分类编码"), .init("subclass_name", "三级分类"),
        .init("nature", "诉求性质"), .init("status_code", "状态编码"), .init("status", "状态"),
        .init("reported_at", "上报时间"), .init("dispatched_at", "派单时间"), .init("closed_at", "办结时间"),
        .init("hours_to_close", "办结用时(小时)"), .init("handling_unit", "承办单位"), .init("satisfaction", "满意度"),
        .init("is_repeat", "是否重复件"),
        .init("grid_code", "网格编码"), .init("grid_name", "网格名称"),
        .init("community_code", "社区编码"), .init("community_name", "社区"),
        .init("street_code", "街道编码"), .init("street_name", "街道"),
        .init("district_code", "区编码"), .init("district_name", "区"),
        .init("place", "地点"), .init("incident_id", "关联事项ID"),
        .init("people", "当事人"), .init("people_phones", "联系电话"), .init("people_ids", "证件号码"),
    ]

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        let clause = context.filter.clause(.event("e"))
        let cursor = try Row.fetchCursor(context.db, sql: """
            SELECT e.id, e.source, e.source_key, e.category, e.nature, e.status, e.reported_at, e.dispatched_at,
                   e.closed_at, e.handling_unit, e.satisfaction, e.is_repeat, e.grid_code, e.community_code,
                   e.street_code, e.district_code, coalesce(sa.address, p.text), e.incident_id, e.content_hash
            FROM event e
            LEFT JOIN place p ON p.id = e.place_id
            LEFT JOIN std_address sa ON sa.id = p.std_address_id
            WHERE \(clause.sql)
            ORDER BY e.id
            """, arguments: clause.arguments)
        let refs = context.references
        var row: [ExportValue] = []
        row.reserveCapacity(columns.count)
        while let r = try cursor.next() {
            row.removeAll(keepingCapacity: true)
            let id: Int64 = r[0]
            let source: String = r[1]
            let sourceKey: String = r[2]
            let category: String? = r[3]
            let status: String? = r[5]
            let reported: Int64? = r[6]
            let closed: Int64? = r[8]
            let satisfaction: String? = r[10]
            let grid: String? = r[12]
            let community: String? = r[13]
            let street: String? = r[14]
            let district: String? = r[15]
            row.append(.integer(id))
            row.append(.string(source))
            row.append(.string(sourceKey))
            row.append(contentsOf: refs.categoryLevels(category))
            row.append(.string(r[4] as String?))
            row.append(.string(status))
            row.append(.string(status.map { EventStatus(rawValue: $0)?.chineseName ?? $0 }))
            row.append(.seconds(reported))
            row.append(.seconds(r[7]))
            row.append(.seconds(closed))
            if let reported, let closed, closed >= reported {
                row.append(.real(Double(closed - reported) / 3600, places: 2))
            } else {
                row.append(.null)
            }
            row.append(.string(r[9] as String?))
            row.append(.string(satisfaction.map { Satisfaction(rawValue: $0)?.chineseName ?? $0 }))
            row.append(.integer(r[11] as Int64))
            row.append(.string(grid)); row.append(refs.grid(grid))
            row.append(.string(community)); row.append(refs.division(community))
            row.append(.string(street)); row.append(refs.division(street))
            row.append(.string(district)); row.append(refs.division(district))
            row.append(.string(r[16] as String?))
            row.append(.int(r[17] as Int64?))
            let people = try context.pii.people(context.db, eventID: id, contentHash: r[18], source: source, sourceKey: sourceKey)
            row.append(people.names)
            row.append(people.phones)
            row.append(people.ids)
            try emit(row)
        }
        return clause.applied
    }
}
