import ArgumentParser
import Foundation
import OneGridCodecs
import OneGridExport
import OneGridMapping
import OneGridModel
import OneGridPipeline
import OneGridPrivacy
// Only for the pure datum transform of `--crs` (see the final report: Package.swift's
// onegrid target lists OneGridResolve for it).
import OneGridResolve

extension ExportTable: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension PIILevel: ExpressibleByArgument {}
extension HeaderLanguage: ExpressibleByArgument {}
extension AggregationLevel: ExpressibleByArgument {}
extension ExportPartition: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a consolidated table (events, incidents, people, places, grids, grid_monthly, alerts, rejects, steps).",
        discussion: "Writes the table and a manifest beside it (<out>.manifest.json). People are masked unless --pii says otherwise.")
    @OptionGroup var location: WarehouseOptions
    @Argument(help: "The table: \(ExportTable.allCases.map(\.rawValue).joined(separator: ", ")).") var table: ExportTable
    @Option(help: "csv, jsonl, xlsx, parquet or geojson (grids and places only).") var format: ExportFormat = .csv
    @Option(help: "Output file (a folder with --partition-by).") var out: String
    @Option(help: "Parquet only: write a Hive-style folder split by month or district.") var partitionBy: ExportPartition?
    @Option(help: "GeoJSON datum: wgs84 (default, as stored), gcj02 (高德, Tencent) or bd09 (百度).") var crs: String = "wgs84"
    @Flag(help: "CSV: keep text cells that start with = + - @ as they are (for machine consumers; a spreadsheet would run them as formulas).")
    var noNeutralizeFormulas = false
    @Option(help: "Column names: zh (default) or en.") var headers: HeaderLanguage = .zh
    @Option(help: "masked (default), token or clear (needs the key file).") var pii: PIILevel = .masked
    @Option(help: "CSV text encoding: utf-8 (with BOM, default) or gb18030.") var encoding: String = "utf-8"
    @Option(help: "grid_monthly roll-up: grid, community, street or district.") var level: AggregationLevel = .grid
    @Option(help: "Reported on or after this date (yyyy-MM-dd).") var since: String?
    @Option(help: "Reported before this date (yyyy-MM-dd).") var until: String?
    @Option(help: "District code (its whole subtree).") var district: String?
    @Option(help: "Street code (its whole subtree).") var street: String?
    @Option(help: "Community code (its whole subtree).") var community: String?
    @Option(help: "Grid code.") var grid: String?
    @Option(help: "Feed name(s), comma-separated.") var source: String?
    @Option(help: "Unified category code or prefix (HB, HB.01).") var category: String?
    @Option(help: "Alerts: minimum reports of a repeat incident.") var alertReports: Int?
    @Option(help: "Alerts: window in days for repeat incidents.") var alertDays: Int?
    @Option(help: "Alerts and overdue matters as of this date (default now).") var asOf: String?
    @Option(help: "grids: add this month's grid_monthly figures (YYYY-MM) to each grid, e.g. as map-layer properties.") var month: String?
    @Option(help: "grid_monthly: grade a unit-month only with at least this many events due (default 5).") var minEvents: Int?
    @Option(help: "grid_monthly: grade a unit-month only with at least this many satisfaction ratings (default 3).") var minRated: Int?
    @Option(help: "Alerts: overdue deadline of a feed in days, FEED=DAYS (repeatable; default: the mapping's deadline_days).") var deadline: [String] = []
    @Option(help: "Alerts: the folder of mapping files whose deadline_days are the feeds' deadlines (searched first).") var mappings: String?

    func validate() throws {
        guard format.tables.contains(table) else {
            throw ValidationError("--format \(format.rawValue) is for the tables \(format.tables.map(\.rawValue).joined(separator: ", ")), not \(table.rawValue)")
        }
        guard Datum(name: crs) != nil else { throw ValidationError("--crs is wgs84, gcj02 or bd09, not '\(crs)'") }
        if crs != "wgs84" && format != .geojson { throw ValidationError("--crs needs --format geojson") }
        if partitionBy != nil && format != .parquet { throw ValidationError("--partition-by needs --format parquet") }
        guard let textEncoding = TextEncoding(name: encoding) else {
            throw ValidationError("--encoding is utf-8 or gb18030, not '\(encoding)'")
        }
        if textEncoding != .utf8 && format != .csv {
            throw ValidationError("--encoding \(encoding) is for --format csv; \(format.rawValue) is always UTF-8")
        }
        // Options a table does not use are refused rather than silently ignored.
        if table != .alerts {
            for (name, given) in [("--as-of", asOf != nil), ("--alert-reports", alertReports != nil),
                                  ("--alert-days", alertDays != nil), ("--deadline", !deadline.isEmpty)] where given {
                throw ValidationError("\(name) is for the alerts table only, not \(table.rawValue)")
            }
        }
        if table != .gridMonthly {
            for (name, given) in [("--level", level != .grid), ("--min-events", minEvents != nil && month == nil),
                                  ("--min-rated", minRated != nil && month == nil)]
            where given {
                throw ValidationError("\(name) is for the grid_monthly table only, not \(table.rawValue)")
            }
        }
        if let month {
            guard table == .grids else { throw ValidationError("--month is for the grids table only, not \(table.rawValue)") }
            guard ReportOptions.isMonth(month) else { throw ValidationError("--month is YYYY-MM (2020-06), not '\(month)'") }
        }
        if let minEvents, minEvents < 1 { throw ValidationError("--min-events is at least 1") }
        if let minRated, minRated < 0 { throw ValidationError("--min-rated is 0 or more") }
        _ = try ReportRequest.deadlines(deadline)
    }

    /// WGS-84 (as stored) → the datum `--crs` names; nil for WGS-84 itself.
    static func transform(to datum: Datum) -> (@Sendable (GeoPosition) -> GeoPosition)? {
        @Sendable func gcj02(_ p: GeoPosition) -> Coordinate {
            CoordinateTransform.wgs84ToGCJ02(Coordinate(lng: p.longitude, lat: p.latitude))
        }
        switch datum {
        case .wgs84: return nil
        case .gcj02: return { p in let c = gcj02(p); return GeoPosition(longitude: c.lng, latitude: c.lat) }
        case .bd09:
            return { p in let c = CoordinateTransform.gcj02ToBD09(gcj02(p)); return GeoPosition(longitude: c.lng, latitude: c.lat) }
        }
    }

    func run() throws {
        let workspace = try failingAs("export") { try Workspace.open(location.paths) }
        func date(_ text: String?, _ name: String) throws -> Timestamp? {
            guard let text else { return nil }
            guard let t = try? DateTimeParser.standard.parse(text) else { throw ValidationError("--\(name): '\(text)' is not a date") }
            return t
        }
        guard let textEncoding = TextEncoding(name: encoding) else { throw ValidationError("--encoding is utf-8 or gb18030") }
        var options = ExportOptions(
            filter: ExportFilter(since: try date(since, "since"), until: try date(until, "until"), district: district, street: street,
                                 community: community, grid: grid, source: source, category: category),
            headers: headers, pii: pii, key: pii == .clear ? workspace.key : nil, encoding: textEncoding,
            level: level, asOf: try date(asOf, "as-of"))
        options.neutralizesFormulas = !noNeutralizeFormulas
        options.partitionBy = partitionBy
        options.month = month
        let datum = Datum(name: crs)!
        options.crs = datum.rawValue
        options.positionTransform = Self.transform(to: datum)
        options.alerts = AlertOptions(deadlines: try ReportRequest.deadlines(deadline, mappings: mappings))
        if let alertReports { options.alerts.repeatMinReports = alertReports }
        if let alertDays { options.alerts.repeatWindowDays = alertDays }
        if let minEvents { options.thresholds.minimumEvents = minEvents }
        if let minRated { options.thresholds.minimumRated = minRated }
        let exporter = Exporter(warehouse: workspace.warehouse)
        do {
            try exporter.check(options.filter)
        } catch {
            // A filter naming what the warehouse does not hold is a usage error (exit 64).
            throw ValidationError(error.description)
        }
        let summary = try failingAs("export", exit: Exit.filesFailed) {
            try exporter.export(table: table, format: format, to: out, options: options)
        }
        print("\(table.rawValue): \(summary.rows) rows → \(summary.path) (\(summary.bytes) bytes); manifest \(summary.manifestPath)")
    }
}

/// The demo's closing export.
enum DemoExport {
    static func events(workspace: Workspace, to path: String) throws -> Int {
        try Exporter(warehouse: workspace.warehouse).export(table: .events, format: .csv, to: path, options: ExportOptions()).rows
    }
}
