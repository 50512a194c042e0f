import OneGridModel
import OneGridWarehouse

/// `grid_monthly`: per unit (grid, or community / street / district with `--level`) and
/// Beijing calendar month of report — events by feed and by top-level category, closure
/// rate, median hours to close, repeat share, satisfaction shares — and the 红 / 蓝 / 黄
/// assessment from `AssessmentThresholds`.
///
/// Definitions: *due* = events not withdrawn; *closed* = status closed, visited or
/// rejected (不予受理 is a disposal); closure rate = closed / due; median hours over closed
/// events with both times; repeat share = repeat events / events; *rated* = events rated
/// 非常满意, 满意, 基本满意 or 不满意; satisfied share = the first three / rated;
/// dissatisfied share = 不满意 / rated. Shares are empty when their denominator is 0.
/// Events without a code at the level form one row with an empty unit and no assessment;
/// a unit-month below the minimum sample (`AssessmentThresholds`) reads 样本不足.
///
/// The per-feed columns are the feeds the warehouse holds (`events_<feed>`, in name order),
/// so a feed added by a mapping file gets its column without any code.
enum GridMonthlyTable {
    static let domains = [("DJ", "党建引领"), ("MD", "矛盾纠纷"), ("ZA", "社会治安"), ("AQ", "公共安全"),
                          ("CG", "城市管理"), ("HB", "环境保护"), ("MS", "民生服务")]

    static func columns(feeds: [String]) -> [ExportColumn] {
        var c: [ExportColumn] = [
            .init("level", "层级"), .init("unit_code", "单位编码"), .init("unit_name", "单位名称"), .init("month", "月份"),
            .init("events", "事件数"),
        ]
        for feed in feeds { c.append(.init("events_\(feed)", "事件数(\(feed))")) }
        for (code, name) in domains { c.append(.init("category_\(code)", name)) }
        c += [
            .init("category_none", "未分类"), .init("due", "应办结数"), .init("closed", "办结数"), .init("closure_rate", "办结率"),
            .init("median_hours_to_close", "办结用时中位数(小时)"), .init("repeat_share", "重复件占比"),
            .init("rated", "参评数"), .init("satisfied_share", "满意率"), .init("dissatisfied_share", "不满意率"),
            .init("assessment", "考评等级"),
        ]
        return c
    }

    /// The column order of a printed workbook: unit and month, then the grade and the
    /// figures it rests on (closure rate, satisfied share, repeat share), then the rest as
    /// in the table. Indexes into `columns`.
    static func printOrder(_ columns: [ExportColumn]) -> [Int] {
        let lead = ["level", "unit_code", "unit_name", "month", "assessment", "closure_rate", "satisfied_share", "repeat_share"]
        let first = lead.compactMap { name in columns.firstIndex { $0.en == name } }
        return first + columns.indices.filter { !first.contains($0) }
    }

    /// The counts of one unit-month, before they become a row: what the report sums up
    /// across units, so its figures are the export's.
    struct Bucket {
        var unit: String?
        var month: String
        var events = 0
        var byFeed: [Int]
        var byDomain = [Int](repeating: 0, count: 8)
        var due = 0
        var closed = 0
        var hours: [Double] = []
        var repeats = 0
        var rated = 0
        var satisfied = 0
        var dissatisfied = 0
        /// Events per full category code (`""` for none).
        var categories: [String: Int] = [:]

        /// Adds `other`'s counts (the same feeds, in the same order) to these.
        mutating func add(_ other: Bucket) {
            events += other.events
            for i in byFeed.indices where i < other.byFeed.count { byFeed[i] += other.byFeed[i] }
            for i in byDomain.indices { byDomain[i] += other.byDomain[i] }
            due += other.due
            closed += other.closed
            hours += other.hours
            repeats += other.repeats
            rated += other.rated
            satisfied += other.satisfied
            dissatisfied += other.dissatisfied
            categories.merge(other.categories, uniquingKeysWith: +)
        }

        var closureRate: Double? { due > 0 ? Double(closed) / Double(due) : nil }
        var repeatShare: Double { Double(repeats) / Double(max(1, events)) }
        var satisfiedShare: Double? { rated > 0 ? Double(satisfied) / Double(rated) : nil }
        var dissatisfiedShare: Double? { rated > 0 ? Double(dissatisfied) / Double(rated) : nil }
        var medianHours: Double? { GridMonthlyTable.median(hours) }

        /// The grade under `thresholds`; nil for the events without a unit.
        func assessment(_ thresholds: AssessmentThresholds) -> String? {
            guard unit != nil else { return nil }
            return thresholds.assess(due: due, rated: rated, closureRate: closureRate, satisfiedShare: satisfiedShare,
                                     repeatShare: repeatShare)
        }
    }

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        try buckets(context) { b in try emit(render(b, level: context.options.level, context: context)) }
    }

    /// Streams the unit-months in unit then month order, with `feeds` (the warehouse's, in
    /// name order) as `byFeed`'s order; returns the names of the filters that applied.
    static func buckets(_ context: TableContext, feeds: [String]? = nil, emit: (Bucket) throws -> Void) throws -> Set<String> {
        let level = context.options.level
        let feeds = try feeds ?? context.reader.feeds()
        let feedIndex = Dictionary(uniqueKeysWithValues: feeds.enumerated().map { ($1, $0) })
        var bucket: Bucket?
        let applied = try context.reader.monthlyEventFacts(context.filter, level: level.divisionLevel) { r in
            let unit = r.unit
            let month = r.month
            if let b = bucket, b.unit != unit || b.month != month {
                try emit(b)
                bucket = nil
            }
            var b = bucket ?? Bucket(unit: unit, month: month, byFeed: [Int](repeating: 0, count: feeds.count))
            b.events += 1
            if let i = feedIndex[r.source] { b.byFeed[i] += 1 }
            let domain = (r.category ?? "").split(separator: ".").first.map(String.init)
            b.byDomain[domain.flatMap { d in domains.firstIndex { $0.0 == d } } ?? 7] += 1
            b.categories[r.category ?? "", default: 0] += 1
            let status = r.status.flatMap(EventStatus.init(rawValue:))
            if status != .withdrawn { b.due += 1 }
            if status == .closed || status == .visited || status == .rejected {
                b.closed += 1
                if let reported = r.reportedAt, let closed = r.closedAt, closed >= reported {
                    b.hours.append(Double(closed - reported) / 3600)
                }
            }
            if r.isRepeat { b.repeats += 1 }
            switch r.satisfaction.flatMap(Satisfaction.init(rawValue:)) {
            case .verySatisfied?, .satisfied?, .basicallySatisfied?: b.rated += 1; b.satisfied += 1
            case .dissatisfied?: b.rated += 1; b.dissatisfied += 1
            default: break
            }
            bucket = b
        }
        if let b = bucket { try emit(b) }
        return applied
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    static func render(_ b: Bucket, level: AggregationLevel, context: TableContext) -> [ExportValue] {
        // Under Chinese headers the level reads as a Chinese reader names it (网格, 街道…).
        let levelName = context.options.headers == .zh ? level.chineseName : level.rawValue
        var row: [ExportValue] = [.text(levelName), .string(b.unit), context.references.unit(b.unit), .text(b.month),
                                  .integer(Int64(b.events))]
        row += b.byFeed.map { .integer(Int64($0)) }
        row += b.byDomain.map { .integer(Int64($0)) }
        row += [
            .integer(Int64(b.due)), .integer(Int64(b.closed)), .real(b.closureRate, places: 4),
            .real(b.medianHours, places: 2), .real(b.repeatShare, places: 4), .integer(Int64(b.rated)),
            .real(b.satisfiedShare, places: 4), .real(b.dissatisfiedShare, places: 4),
            .string(b.assessment(context.options.thresholds)),
        ]
        return row
    }
}
