import Foundation
import OneGridModel
import OneGridWarehouse

/// What `onegrid report` is asked for: the month, the area and the language of the page,
/// and the same assessment thresholds and warning parameters the exports take.
public struct ReportOptions: Sendable {
    /// `YYYY-MM`; nil means the latest month holding an event of the area.
    public var month: String?
    /// The area: a district or street code (its whole subtree); neither means every grid.
    public var district: String?
    public var street: String?
    /// Labels in Chinese (default) or English; data (names, categories) stay as stored.
    public var language: HeaderLanguage
    public var thresholds: AssessmentThresholds
    public var alerts: AlertOptions
    /// Months of trend up to and including the month.
    public var trendMonths: Int
    /// When the page says it was made; nil means now.
    public var generatedAt: Timestamp?
    /// Categories listed in the top-categories chart.
    public var topCategories: Int

    public init(month: String? = nil, district: String? = nil, street: String? = nil, language: HeaderLanguage = .zh,
                thresholds: AssessmentThresholds = AssessmentThresholds(), alerts: AlertOptions = AlertOptions(),
                trendMonths: Int = 12, generatedAt: Timestamp? = nil, topCategories: Int = 10) {
        self.month = month
        self.district = district
        self.street = street
        self.language = language
        self.thresholds = thresholds
        self.alerts = alerts
        self.trendMonths = trendMonths
        self.generatedAt = generatedAt
        self.topCategories = topCategories
    }

    /// Whether `text` is a month as `--month` takes it (`2020-06`).
    public static func isMonth(_ text: String) -> Bool { GridsTable.monthRange(text) != nil }

    /// The area as an export filter (no times).
    var areaFilter: ExportFilter { ExportFilter(district: district, street: street) }
}

/// What a report produced.
public struct ReportSummary: Sendable, Hashable {
    public var path: String
    public var bytes: Int64
    /// The month reported, `YYYY-MM`.
    public var month: String
    /// Grids drawn on the map (those with a stored boundary) and grids listed.
    public var gridsDrawn: Int
    public var gridsListed: Int
    /// Warnings listed.
    public var alerts: Int
}

/// The figures of one report, gathered from the export tables' own computations:
/// `GridMonthlyTable.buckets` (per grid and month, summed per month for the trends, so a
/// figure here is the `grid_monthly` export's) and `AlertsTable.alerts` (the `alerts`
/// export's warnings, with their events). Times of the month are Beijing's.
struct ReportFigures {
    struct Grid {
        var code: String
        var name: String?
        var polygons: [Polygon]
        /// The month's figures; nil when the grid had no event that month.
        var month: GridMonthlyTable.Bucket?
    }

    var month: String
    var areaName: String?
    /// The trend's months, oldest first, ending with `month`.
    var months: [String]
    var feeds: [String]
    /// Per month of `months`, all units summed (events without a grid included).
    var totals: [GridMonthlyTable.Bucket]
    var grids: [Grid]
    var alerts: [AlertsTable.Alert]
    /// `source/source_key` of the warnings' events, by event id.
    var eventKeys: [Int64: String]
    var references: References
    var asOf: Timestamp

    var monthTotal: GridMonthlyTable.Bucket { totals.last! }

    /// The month a report is about when none is given: the latest with an event in the area.
    static func latestMonth(_ reader: TableReader, area: ExportFilter) throws -> String? {
        var latest: String?
        _ = try reader.monthlyEventFacts(area, level: .district) { r in
            if latest.map({ r.month > $0 }) ?? true { latest = r.month }
        }
        return latest
    }

    static func gather(_ reader: TableReader, options: ReportOptions, now: Timestamp) throws -> ReportFigures {
        let area = options.areaFilter
        guard let month = try options.month ?? latestMonth(reader, area: area) else {
            throw ExportError.invalidOption(name: "--month", message: "the area holds no event with a report time")
        }
        guard let (start, end) = GridsTable.monthRange(month) else {
            throw ExportError.invalidOption(name: "--month", message: "'\(month)' is not a month (YYYY-MM)")
        }
        let index = AlertsTable.monthIndex(month)
        let first = index - max(1, options.trendMonths) + 1
        let months = (first...index).map(AlertsTable.monthText)
        let references = References(try reader.referenceNames())
        let feeds = try reader.feeds()
        let asOf = Timestamp(seconds: min(now.seconds, end.seconds))

        // Per grid and month, as `export grid_monthly --until <month's end>` computes them.
        var monthly = ExportOptions(filter: area)
        monthly.filter.since = AlertsTable.monthStart(first)
        monthly.filter.until = end
        monthly.thresholds = options.thresholds
        let pii = try PIIRenderer(level: .masked, key: nil)
        let monthlyContext = TableContext(reader: reader, options: monthly, references: references, pii: pii, asOf: asOf)
        var totals = months.map { GridMonthlyTable.Bucket(unit: nil, month: $0, byFeed: [Int](repeating: 0, count: feeds.count)) }
        var ofMonth: [String: GridMonthlyTable.Bucket] = [:]
        _ = try GridMonthlyTable.buckets(monthlyContext, feeds: feeds) { b in
            let at = AlertsTable.monthIndex(b.month) - first
            guard totals.indices.contains(at) else { return }
            totals[at].add(b)
            if b.month == month, let unit = b.unit { ofMonth[unit] = b }
        }

        // The trend starts with the first month holding an event (a warehouse loaded in June
        // has no eleven empty months before it).
        let leading = totals.dropLast().prefix { $0.events == 0 }.count
        totals.removeFirst(leading)
        let trendMonths = Array(months.dropFirst(leading))

        // Every grid of the area, drawn from its boundary when it has one.
        let boundaries = try reader.gridBoundaries()
        var grids: [Grid] = []
        _ = try reader.grids(area) { g in
            grids.append(Grid(code: g.code, name: g.name, polygons: boundaries[g.code] ?? [], month: ofMonth[g.code]))
        }

        // The warnings of `export alerts --since <month> --until <month's end> --as-of <that end, or now>`.
        var warnings = ExportOptions(filter: area)
        warnings.filter.since = start
        warnings.filter.until = end
        warnings.alerts = options.alerts
        let alertContext = TableContext(reader: reader, options: warnings, references: references, pii: pii, asOf: asOf)
        var alerts: [AlertsTable.Alert] = []
        _ = try AlertsTable.alerts(alertContext, withEvents: true) { alerts.append($0) }
        let eventKeys = try reader.eventKeys(alerts.flatMap(\.eventIDs))

        let areaCode = options.street ?? options.district
        return ReportFigures(month: month, areaName: areaCode.flatMap { references.divisions[$0] }, months: trendMonths,
                             feeds: feeds, totals: totals, grids: grids, alerts: alerts, eventKeys: eventKeys,
                             references: references, asOf: asOf)
    }
}

extension Exporter {
    /// Writes the monthly report (`onegrid report`): one self-contained HTML page (inline SVG
    /// and CSS, nothing fetched), mode 0644 through `OutputFile`. People never appear in it;
    /// events are named by id and source key.
    public func report(to path: String, options: ReportOptions = ReportOptions()) throws -> ReportSummary {
        let (html, figures) = try reportPage(options: options)
        let bytes = Array(html.utf8)
        try OutputFile.write(bytes, to: path, permissions: .readableByAll)
        return ReportSummary(path: path, bytes: Int64(bytes.count), month: figures.month,
                             gridsDrawn: figures.grids.filter { !$0.polygons.isEmpty }.count,
                             gridsListed: figures.grids.count, alerts: figures.alerts.count)
    }

    /// The report's page as text, for tests and previews.
    public func reportHTML(options: ReportOptions = ReportOptions()) throws -> String {
        try reportPage(options: options).html
    }

    private func reportPage(options: ReportOptions) throws -> (html: String, figures: ReportFigures) {
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        let figures = try warehouse.readTables { reader in try ReportFigures.gather(reader, options: options, now: now) }
        let page = ReportPage(figures: figures, options: options, generatedAt: options.generatedAt ?? now)
        return (page.html(), figures)
    }
}
