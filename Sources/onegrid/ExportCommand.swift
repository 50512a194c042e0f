import ArgumentParser
import Foundation
import OneGridCodecs
import OneGridExport
import OneGridMapping
import OneGridModel
import OneGridPipeline
import OneGridPrivacy

extension ExportTable: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension PIILevel: ExpressibleByArgument {}
extension HeaderLanguage: ExpressibleByArgument {}
extension AggregationLevel: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a consolidated table (events, incidents, people, places, grids, grid_monthly, alerts, rejects).",
        discussion: "Writes the table and a manifest beside it (<out>.manifest.json). People are masked unless --pii says otherwise.")
    @OptionGroup var location: WarehouseOptions
    @Argument(help: "The table: \(ExportTable.allCases.map(\.rawValue).joined(separator: ", ")).") var table: ExportTable
    @Option(help: "csv, jsonl or xlsx.") var format: ExportFormat = .csv
    @Option(help: "Output file.") var out: String
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

    func run() throws {
        let workspace: Workspace
        do { workspace = try Workspace.open(location.paths) } catch {
            complain("onegrid export: \(error)")
            throw Exit.configuration
        }
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
        if let alertReports { options.alerts.repeatMinReports = alertReports }
        if let alertDays { options.alerts.repeatWindowDays = alertDays }
        do {
            let summary = try Exporter(warehouse: workspace.warehouse).export(table: table, format: format, to: out, options: options)
            print("\(table.rawValue): \(summary.rows) rows → \(summary.path) (\(summary.bytes) bytes); manifest \(summary.manifestPath)")
        } catch {
            complain("onegrid export: \(error)")
            throw Exit.filesFailed
        }
    }
}

/// The demo's closing export.
enum DemoExport {
    static func events(workspace: Workspace, to path: String) throws -> Int {
        try Exporter(warehouse: workspace.warehouse).export(table: .events, format: .csv, to: path, options: ExportOptions()).rows
    }
}
