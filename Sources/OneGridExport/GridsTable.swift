import OneGridModel
import OneGridWarehouse

/// `grids`: one row per grid with its community, street and district, the worker roster
/// by role (专职 / 兼职 / 政法网格员, masked names, or tokens at `--pii token`) and its
/// count of filtered events. With `ExportOptions.month`, each grid also carries that
/// month's `grid_monthly` figures (the same buckets, so the same numbers; zero events and
/// no grade for a grid without events that month) — what a map layer is coloured by.
enum GridsTable {
    static let monthColumns: [ExportColumn] = [
        .init("month", "月份"), .init("month_events", "当月事件数"), .init("due", "应办结数"), .init("closed", "办结数"),
        .init("closure_rate", "办结率"), .init("median_hours_to_close", "办结用时中位数(小时)"), .init("repeat_share", "重复件占比"),
        .init("rated", "参评数"), .init("satisfied_share", "满意率"), .init("assessment", "考评等级"),
    ]

    /// Start and end (exclusive) of a `YYYY-MM` Beijing month; nil when it is not one.
    static func monthRange(_ month: String) -> (start: Timestamp, end: Timestamp)? {
        let parts = month.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 4, parts[1].utf8.count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }), let y = Int(parts[0]), let m = Int(parts[1]),
              (1...12).contains(m) else { return nil }
        let index = y * 12 + m - 1
        guard let start = AlertsTable.monthStart(index), let end = AlertsTable.monthStart(index + 1) else { return nil }
        return (start, end)
    }

    /// The month's buckets by grid code, under the filter's event filters.
    static func monthBuckets(_ context: TableContext, month: String) throws -> [String: GridMonthlyTable.Bucket] {
        guard let range = monthRange(month) else { return [:] }
        var options = context.options
        options.level = .grid
        // The month within the filter's own times.
        if let since = options.filter.since, since.seconds > range.start.seconds {} else { options.filter.since = range.start }
        if let until = options.filter.until, until.seconds < range.end.seconds {} else { options.filter.until = range.end }
        let monthly = TableContext(reader: context.reader, options: options, references: context.references, pii: context.pii,
                                   asOf: context.asOf)
        var out: [String: GridMonthlyTable.Bucket] = [:]
        _ = try GridMonthlyTable.buckets(monthly) { b in
            if let unit = b.unit, b.month == month { out[unit] = b }
        }
        return out
    }

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
        let month = context.options.month
        let buckets = try month.map { try monthBuckets(context, month: $0) } ?? [:]
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
            var row: [ExportValue] = [
                .text(code), .string(r.name), .string(r.kind), .int(r.households),
                .text(community), refs.division(community),
                .string(street), refs.division(street), .string(district), refs.division(district),
                names(.fullTime), names(.partTime), names(.legal),
                .integer(Int64(byRole.values.reduce(0) { $0 + $1.count })), .integer(r.eventCount),
            ]
            if let month {
                let b = buckets[code]
                row += [
                    .text(month), .integer(Int64(b?.events ?? 0)), .integer(Int64(b?.due ?? 0)), .integer(Int64(b?.closed ?? 0)),
                    .real(b?.closureRate, places: 4), .real(b?.medianHours, places: 2),
                    b.map { .real($0.repeatShare, places: 4) } ?? .null, .integer(Int64(b?.rated ?? 0)),
                    .real(b?.satisfiedShare, places: 4), .string(b?.assessment(context.options.thresholds)),
                ]
            }
            try emit(row)
        }
    }
}
