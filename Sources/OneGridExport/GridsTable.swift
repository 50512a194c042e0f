import OneGridModel
import OneGridWarehouse

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
        var roster: [String: [String: [String]]] = [:]
        for w in try context.reader.workers() {
            let name: String
            if context.pii.level == .token {
                name = w.personIDToken ?? w.workerID
            } else {
                name = w.maskedName ?? w.personMaskedName ?? w.workerID
            }
            roster[w.gridCode, default: [:]][w.role, default: []].append(name)
        }
        let refs = context.references
        return try context.reader.grids(context.filter) { r in
            let code = r.code
            let community = r.communityCode
            // The community code is the grid's parent; street and district are its prefixes.
            let street = String(community.prefix(9))
            let district = String(community.prefix(6))
            let byRole = roster[code] ?? [:]
            func names(_ role: WorkerRole) -> ExportValue {
                let list = byRole[role.rawValue] ?? []
                return list.isEmpty ? .null : .text(list.joined(separator: ","))
            }
            try emit([
                .text(code), .string(r.name), .string(r.kind), .int(r.households),
                .text(community), refs.division(community),
                .string(street), refs.division(street), .string(district), refs.division(district),
                names(.fullTime), names(.partTime), names(.legal),
                .integer(Int64(byRole.values.reduce(0) { $0 + $1.count })), .integer(r.eventCount),
            ])
        }
    }
}
