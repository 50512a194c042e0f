import GRDB
import OneGridModel

/// `grids`: one row per grid with its community, street and district, the worker roster
/// by role (专职 / 兼职 / 政法网格员, masked names, or tokens at `--pii token`) and its
/// count of filtered events.
enum GridsTable {
    static let columns: [ExportColumn] = [
        .init("grid_code", "网格编码"), .init("grid_name", "网格名称"), .init("kind", "网格类型"), .init("households", "户数"),
        .init("community_code", "社区编码"), .init("community_name", "社区"),
        .init("street_code", "街道编码"), .init("street_name", "街道"),
        .init("district_code", "区编码"), .init("district_name", "区"),
        .init("full_time_workers", "专职网格员"), .init("part_time_workers", "兼职网格员"), .init("legal_workers", "政法网格员"),
        .init("worker_count", "网格员人数"), .init("event_count", "事件数"),
    ]

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        var eventFilter = context.filter
        eventFilter.district = nil; eventFilter.street = nil; eventFilter.community = nil; eventFilter.grid = nil
        let events = eventFilter.clause(.event("e"))
        let grids = context.filter.clause(.gridOnly("g.code"))
        var arguments = events.arguments
        _ = arguments.append(contentsOf: grids.arguments)
        var roster: [String: [String: [String]]] = [:]
        let workers = try Row.fetchCursor(context.db, sql: """
            SELECT w.grid_code, w.role, w.worker_id, w.masked_name, p.masked_name, p.id_token
            FROM worker w LEFT JOIN person p ON p.id = w.person_id ORDER BY w.grid_code, w.role, w.worker_id
            """)
        while let w = try workers.next() {
            let name: String
            if context.pii.level == .token {
                name = (w[5] as String?) ?? (w[2] as String)
            } else {
                name = (w[3] as String?) ?? (w[4] as String?) ?? (w[2] as String)
            }
            roster[w[0], default: [:]][w[1], default: []].append(name)
        }
        let cursor = try Row.fetchCursor(context.db, sql: """
            SELECT g.code, g.name, g.kind, g.households, g.community_code, coalesce(c.n, 0)
            FROM grid g
            LEFT JOIN (SELECT e.grid_code, count(*) AS n FROM event e WHERE e.grid_code IS NOT NULL AND \(events.sql)
                       GROUP BY e.grid_code) c ON c.grid_code = g.code
            WHERE \(grids.sql)
            ORDER BY g.code
            """, arguments: arguments)
        let refs = context.references
        while let r = try cursor.next() {
            let code: String = r[0]
            let community: String = r[4]
            // The community code is the grid's parent; street and district are its prefixes.
            let street = String(community.prefix(9))
            let district = String(community.prefix(6))
            let byRole = roster[code] ?? [:]
            func names(_ role: WorkerRole) -> ExportValue {
                let list = byRole[role.rawValue] ?? []
                return list.isEmpty ? .null : .text(list.joined(separator: ","))
            }
            try emit([
                .text(code), .string(r[1]), .string(r[2]), .int(r[3]),
                .text(community), refs.division(community),
                .string(street), refs.division(street), .string(district), refs.division(district),
                names(.fullTime), names(.partTime), names(.legal),
                .integer(Int64(byRole.values.reduce(0) { $0 + $1.count })), .integer(r[5]),
            ])
        }
        return events.applied.union(grids.applied)
    }
}
