import OneGridCodecs
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse
// The filter is the warehouse's (its table readers turn it into SQL); callers of exports
// name it through this module.
@_exported import struct OneGridWarehouse.ExportFilter

/// How personal data appears in an export.
public enum PIILevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Masked display forms (`张*`, `138****0000`, `320116********123X`): the default.
    case masked
    /// Stable keyed tokens instead of masked forms, for joining exports without revealing anyone.
    case token
    /// Clear names, phones and ID numbers, opened from the sealed current-version payloads;
    /// needs the key file. Grid worker names stay masked (the roster keeps no clear values).
    case clear
}

/// The level `grid_monthly` rolls its figures up to.
public enum AggregationLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case grid
    case community
    case street
    case district

    var chineseName: String {
        switch self {
        case .grid: return "网格"
        case .community: return "社区"
        case .street: return "街道"
        case .district: return "区"
        }
    }

    /// The division level of this level's codes; nil for grids.
    var divisionLevel: DivisionLevel? {
        switch self {
        case .grid: return nil
        case .community: return .community
        case .street: return .street
        case .district: return .district
        }
    }
}

/// Everything an export can be told besides the table, format and path.
public struct ExportOptions: Sendable {
    public var filter: ExportFilter
    /// Column header language: Chinese (default) or English.
    public var headers: HeaderLanguage
    public var pii: PIILevel
    /// The PII key; required for `.clear` (clear values are opened with a `RecordSealer`
    /// derived from it), ignored otherwise.
    public var key: PIIKey?
    /// CSV only: UTF-8 (default) or GB18030.
    public var encoding: TextEncoding
    /// CSV only: write a BOM before UTF-8 (default true; never for GB18030).
    public var bom: Bool
    /// `grid_monthly` only.
    public var level: AggregationLevel
    /// `grid_monthly` only.
    public var thresholds: AssessmentThresholds
    /// `alerts` only.
    public var alerts: AlertOptions
    /// The instant alerts are evaluated at; nil means now.
    public var asOf: Timestamp?
    /// The export time stamped into the manifest and the XLSX entries; nil means now.
    public var exportedAt: Timestamp?
    /// XLSX only: rows per sheet before continuing on a new sheet (Excel's limit by default).
    public var maxRowsPerSheet: Int
    /// CSV only: prefix text cells a spreadsheet would run as a formula with `'` (default
    /// true); false for machine consumers, which would read the `'` as part of the value.
    public var neutralizesFormulas: Bool
    /// Parquet only: write a Hive-style folder at the output path, one sub-folder per value.
    public var partitionBy: ExportPartition?
    /// `grids` only: add this month's (`YYYY-MM`) `grid_monthly` figures to each grid (the
    /// properties of a map layer).
    public var month: String?
    /// GeoJSON only: the datum positions are written in (recorded in the manifest), and the
    /// transform from the warehouse's WGS-84 to it (nil: WGS-84 as stored).
    public var crs = "wgs84"
    public var positionTransform: (@Sendable (GeoPosition) -> GeoPosition)?

    public init(filter: ExportFilter = ExportFilter(), headers: HeaderLanguage = .zh, pii: PIILevel = .masked,
                key: PIIKey? = nil, encoding: TextEncoding = .utf8, bom: Bool = true, level: AggregationLevel = .grid,
                thresholds: AssessmentThresholds = AssessmentThresholds(), alerts: AlertOptions = AlertOptions(),
                asOf: Timestamp? = nil, exportedAt: Timestamp? = nil, maxRowsPerSheet: Int = 1_048_576,
                neutralizesFormulas: Bool = true, partitionBy: ExportPartition? = nil) {
        self.filter = filter
        self.headers = headers
        self.pii = pii
        self.key = key
        self.encoding = encoding
        self.bom = bom
        self.level = level
        self.thresholds = thresholds
        self.alerts = alerts
        self.asOf = asOf
        self.exportedAt = exportedAt
        self.maxRowsPerSheet = maxRowsPerSheet
        self.neutralizesFormulas = neutralizesFormulas
        self.partitionBy = partitionBy
    }
}

/// Thresholds of the monthly grid assessment (红 / 蓝 / 黄) on a unit-month's figures.
///
/// - 红 (excellent): closure rate ≥ `redMinClosureRate` (0.95) and satisfied share ≥
///   `redMinSatisfiedShare` (0.90, not checked when nothing was rated) and repeat share ≤
///   `redMaxRepeatShare` (0.10).
/// - 黄 (failing): closure rate < `yellowClosureRateBelow` (0.80) or satisfied share <
///   `yellowSatisfiedShareBelow` (0.70, when rated) or repeat share > `yellowRepeatShareAbove` (0.30).
/// - 蓝 (adequate): otherwise.
/// - 样本不足 (insufficient sample, `insufficientSample`) when the unit-month has fewer than
///   `minimumEvents` (5) events due (events other than withdrawn ones) or fewer than
///   `minimumRated` (3) satisfaction ratings: one closed event is no evidence of excellence.
///   Events without a unit get no assessment at all (empty).
public struct AssessmentThresholds: Sendable, Hashable, Codable {
    /// The grade of a unit-month with too few events or ratings to be graded.
    public static let insufficientSample = "样本不足"
    /// The grades, best first, then `insufficientSample`.
    public static let grades = ["红", "蓝", "黄", insufficientSample]

    public var redMinClosureRate = 0.95
    public var redMinSatisfiedShare = 0.90
    public var redMaxRepeatShare = 0.10
    public var yellowClosureRateBelow = 0.80
    public var yellowSatisfiedShareBelow = 0.70
    public var yellowRepeatShareAbove = 0.30
    public var minimumEvents = 5
    public var minimumRated = 3

    public init() {}

    /// Thresholds that grade any unit-month with one event due, rated or not (the grading
    /// before minimum samples existed; for tests and small demonstrations).
    public static var anySample: AssessmentThresholds {
        var t = AssessmentThresholds()
        t.minimumEvents = 1
        t.minimumRated = 0
        return t
    }

    /// `红`, `蓝`, `黄`, or `样本不足` when the sample is below the minimums (or nothing is due).
    public func assess(due: Int, rated: Int, closureRate: Double?, satisfiedShare: Double?, repeatShare: Double) -> String {
        guard due >= max(1, minimumEvents), rated >= minimumRated, let closureRate else { return Self.insufficientSample }
        if closureRate < yellowClosureRateBelow || repeatShare > yellowRepeatShareAbove
            || (satisfiedShare.map { $0 < yellowSatisfiedShareBelow } ?? false) {
            return "黄"
        }
        if closureRate >= redMinClosureRate && repeatShare <= redMaxRepeatShare
            && (satisfiedShare.map { $0 >= redMinSatisfiedShare } ?? true) {
            return "红"
        }
        return "蓝"
    }
}

/// Parameters of the early warnings (预警) and their defaults.
///
/// - Repeat incidents: an incident reported at least `repeatMinReports` (3) times by at
///   least `repeatMinFeeds` (2) feeds within `repeatWindowDays` (30) days.
/// - Rising grids: a grid whose count in a month exceeds the mean of its previous
///   `riseBaselineMonths` (3) months × (1 + `riseFactor`) (0.5, i.e. +50 %) and is at
///   least `riseMinCount` (5) — only for months with at least `riseMinHistoryMonths` (3)
///   months of history before them (counted from the first month with any event the
///   filter keeps): a month with no history behind it is not a rise.
/// - Overdue matters (跟踪督办): an open event past its deadline, counted in days from
///   acceptance (its first `受理` step, else its report time): `overdueDays` per feed
///   (petition 60, hotline12345 15, patrol 7, citymgmt 7), `overdueDefaultDays` (30) for
///   any other feed.
public struct AlertOptions: Sendable, Hashable, Codable {
    public var repeatMinReports = 3
    public var repeatMinFeeds = 2
    public var repeatWindowDays = 30
    public var riseBaselineMonths = 3
    public var riseFactor = 0.5
    public var riseMinCount = 5
    public var riseMinHistoryMonths = 3
    public var overdueDays: [String: Int] = ["petition": 60, "hotline12345": 15, "patrol": 7, "citymgmt": 7]
    public var overdueDefaultDays = 30

    public init() {}

    /// Today's deadlines with the feeds of `deadlines` (feed → days, for instance the
    /// `deadline_days` of each feed's mapping) put over them.
    public init(deadlines: [String: Int]) {
        overdueDays.merge(deadlines) { $1 }
    }

    func deadlineDays(for feed: String) -> Int { overdueDays[feed] ?? overdueDefaultDays }
}
