import OneGridModel
import OneGridWarehouse

/// `alerts` (预警), evaluated as of `ExportOptions.asOf`, with `AlertOptions`:
///
/// - `repeat_incident` (多部门重复反映): an incident whose events include a window of at
///   most `repeatWindowDays` days holding at least `repeatMinReports` reports from at least
///   `repeatMinFeeds` feeds; the row gives the fullest such window (first and last report,
///   count) and its feeds.
/// - `rising_grid` (网格事件激增): a grid and month whose event count exceeds the mean of the
///   previous `riseBaselineMonths` months (absent months count 0) × (1 + `riseFactor`) and
///   reaches `riseMinCount`; `baseline` is that mean. Only months with `riseMinHistoryMonths`
///   of history before them (from the first month with any event the filter keeps) are
///   judged. The `since` filter limits the months reported, not the baseline.
/// - `overdue` (超期未办结): an open event (received, accepted, dispatched, processing,
///   returned) whose deadline — its first `受理` step (else its report) plus the feed's days —
///   is before as-of; `count` is whole days overdue, `baseline` the feed's deadline days.
///
/// Events reported after as-of are ignored. Rows come kind by kind, in that order.
enum AlertsTable {
    static let columns: [ExportColumn] = [
        .init("kind", "预警类型编码"), .init("kind_name", "预警类型"), .init("subject", "预警对象"),
        .init("grid_code", "网格编码"), .init("grid_name", "网格名称"),
        .init("category_code", "分类编码"), .init("category_name", "分类"),
        .init("first_at", "起始时间"), .init("last_at", "截止时间"), .init("count", "次数/超期天数"),
        .init("baseline", "基线"), .init("detail", "说明"),
    ]

    /// One warning, before it becomes a row: the report lists it with its events.
    struct Alert {
        enum Kind: String, CaseIterable {
            case repeatIncident = "repeat_incident"
            case risingGrid = "rising_grid"
            case overdue

            var chineseName: String {
                switch self {
                case .repeatIncident: return "多部门重复反映"
                case .risingGrid: return "网格事件激增"
                case .overdue: return "超期未办结"
                }
            }
        }

        var kind: Kind
        var subject: String
        var grid: String?
        var category: String?
        var first: Timestamp?
        var last: Timestamp?
        var count: Int64
        var baseline: ExportValue
        var detail: String
        /// The events behind the warning (ids of the `events` export), when asked for.
        var eventIDs: [Int64] = []

        func row(_ references: References) -> [ExportValue] {
            [.text(kind.rawValue), .text(kind.chineseName), .text(subject), .string(grid), references.grid(grid),
             .string(category), references.category(category), .timestampOrNull(first), .timestampOrNull(last),
             .integer(count), baseline, .text(detail)]
        }
    }

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        try alerts(context, withEvents: false) { try emit($0.row(context.references)) }
    }

    /// Streams the warnings kind by kind; with `withEvents`, each lists its events (the
    /// reports of the window, the grid-month's events, the overdue event).
    static func alerts(_ context: TableContext, withEvents: Bool, emit: (Alert) throws -> Void) throws -> Set<String> {
        var applied = try repeatIncidents(context, emit: emit)
        applied.formUnion(try risingGrids(context, withEvents: withEvents, emit: emit))
        applied.formUnion(try overdue(context, emit: emit))
        return applied
    }

    static func repeatIncidents(_ context: TableContext, emit: (Alert) throws -> Void) throws -> Set<String> {
        let options = context.options.alerts
        var incident: Int64?
        var reports: [(source: String, at: Int64, event: Int64)] = []
        func evaluate(_ id: Int64) throws {
            let window = Int64(options.repeatWindowDays) * 86_400
            var best: (start: Int, end: Int, feeds: Set<String>)?
            var start = 0
            var counts: [String: Int] = [:]
            for end in reports.indices {
                counts[reports[end].source, default: 0] += 1
                while reports[end].at - reports[start].at > window {
                    counts[reports[start].source]! -= 1
                    if counts[reports[start].source] == 0 { counts[reports[start].source] = nil }
                    start += 1
                }
                let n = end - start + 1
                if n >= options.repeatMinReports && counts.count >= options.repeatMinFeeds && n > (best.map { $0.end - $0.start + 1 } ?? 0) {
                    best = (start, end, Set(counts.keys))
                }
            }
            guard let best else { return }
            let info = try context.reader.incidentGridAndCategory(id: id)
            let feeds = best.feeds.sorted().joined(separator: ",")
            let count = best.end - best.start + 1
            try emit(Alert(kind: .repeatIncident, subject: String(id), grid: info?.grid, category: info?.category,
                           first: Timestamp(seconds: reports[best.start].at), last: Timestamp(seconds: reports[best.end].at),
                           count: Int64(count), baseline: .null,
                           detail: "\(options.repeatWindowDays)天内\(count)次，来源\(best.feeds.count)个部门：\(feeds)",
                           eventIDs: reports[best.start...best.end].map(\.event)))
        }
        let applied = try context.reader.incidentReports(context.filter, asOf: context.asOf) { r in
            let id = r.incidentID
            if let current = incident, current != id {
                try evaluate(current)
                reports.removeAll(keepingCapacity: true)
            }
            incident = id
            reports.append((r.source, r.reportedAt, r.eventID))
        }
        if let current = incident { try evaluate(current) }
        return applied
    }

    static func monthIndex(_ month: String) -> Int {
        let parts = month.split(separator: "-")
        return (Int(parts.first ?? "") ?? 0) * 12 + (Int(parts.dropFirst().first ?? "") ?? 1) - 1
    }

    static func monthText(_ index: Int) -> String {
        "\(index / 12)-\(index % 12 + 1 < 10 ? "0" : "")\(index % 12 + 1)"
    }

    static func monthStart(_ index: Int) -> Timestamp? {
        Timestamp(beijingYear: index / 12, month: index % 12 + 1, day: 1)
    }

    static func risingGrids(_ context: TableContext, withEvents: Bool, emit: (Alert) throws -> Void) throws -> Set<String> {
        let options = context.options.alerts
        let firstMonth = context.filter.since.map { monthIndex($0.beijingMonth) }
        // History starts at the first month holding any event the filter keeps (before as-of).
        guard let historyStart = try context.reader.firstReportMonth(context.filter, asOf: context.asOf).map(monthIndex) else {
            return try context.reader.gridMonthCounts(context.filter, asOf: context.asOf) { _ in }
        }
        var grid: String?
        var counts: [Int: Int] = [:]
        func evaluate(_ code: String) throws {
            for month in counts.keys.sorted() {
                if let firstMonth, month < firstMonth { continue }
                guard month - historyStart >= options.riseMinHistoryMonths else { continue }
                let count = counts[month]!
                let previous = (1...max(1, options.riseBaselineMonths)).map { counts[month - $0] ?? 0 }
                let baseline = Double(previous.reduce(0, +)) / Double(previous.count)
                guard count >= options.riseMinCount, Double(count) > baseline * (1 + options.riseFactor) else { continue }
                let start = monthStart(month)
                let end = monthStart(month + 1)
                let ids = withEvents && start != nil && end != nil
                    ? try context.reader.eventIDs(context.filter, grid: code, from: start!, before: end!, asOf: context.asOf) : []
                try emit(Alert(kind: .risingGrid, subject: code, grid: code, category: nil, first: start,
                               last: end.map { Timestamp(seconds: $0.seconds - 1) }, count: Int64(count),
                               baseline: .real(baseline, places: 2),
                               detail: "\(monthText(month))共\(count)件，前\(options.riseBaselineMonths)个月月均\(ExportValue.format((baseline * 100).rounded() / 100))件",
                               eventIDs: ids))
            }
        }
        var applied = try context.reader.gridMonthCounts(context.filter, asOf: context.asOf) { r in
            let code = r.gridCode
            if let current = grid, current != code {
                try evaluate(current)
                counts.removeAll()
            }
            grid = code
            counts[monthIndex(r.month)] = r.events
        }
        if let current = grid { try evaluate(current) }
        // The months before `since` are the baseline; `since` limits the months reported.
        if firstMonth != nil { applied.insert("since") }
        return applied
    }

    static func overdue(_ context: TableContext, emit: (Alert) throws -> Void) throws -> Set<String> {
        let options = context.options.alerts
        return try context.reader.openEvents(context.filter, asOf: context.asOf) { r in
            let source = r.source
            let start = r.deadlineStart
            let days = options.deadlineDays(for: source)
            let deadline = start + Int64(days) * 86_400
            guard deadline < context.asOf.seconds else { return }
            let overdueDays = (context.asOf.seconds - deadline) / 86_400
            let status = r.status.flatMap(EventStatus.init(rawValue:))?.chineseName ?? ""
            try emit(Alert(kind: .overdue, subject: "\(source)/\(r.sourceKey)", grid: r.gridCode, category: r.category,
                           first: Timestamp(seconds: start), last: Timestamp(seconds: deadline), count: overdueDays,
                           baseline: .integer(Int64(days)),
                           detail: "\(source)办理时限\(days)天，已超期\(overdueDays)天，当前状态：\(status)",
                           eventIDs: [r.id]))
        }
    }
}

extension ExportValue {
    static func timestampOrNull(_ t: Timestamp?) -> ExportValue { t.map(ExportValue.timestamp) ?? .null }
}
