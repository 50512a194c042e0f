import ArgumentParser
import Foundation
import OneGridExport
import OneGridMapping
import OneGridPipeline

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the monthly report: one self-contained HTML page (grid map, trends, closure, early warnings).",
        discussion: """
        The page needs no network: inline SVG and CSS, no fonts, tiles or scripts fetched. Its figures are those \
        of `export grid_monthly` and `export alerts` for the month. No personal data appears in it.
        """)
    @OptionGroup var location: WarehouseOptions
    @Option(help: "The month, YYYY-MM (default: the latest month with events).") var month: String?
    @Option(help: "A district code: the report covers its grids.") var district: String?
    @Option(help: "A street code: the report covers its grids.") var street: String?
    @Option(help: "Labels: zh (default) or en.") var lang: HeaderLanguage = .zh
    @Option(help: "The HTML file to write.") var out: String
    @Option(help: "Grade a grid-month only with at least this many events due (default 5).") var minEvents: Int?
    @Option(help: "Grade a grid-month only with at least this many satisfaction ratings (default 3).") var minRated: Int?
    @Option(help: "Overdue deadline of a feed in days, FEED=DAYS (repeatable; default: the mapping's deadline_days).") var deadline: [String] = []
    @Option(help: "The folder of mapping files whose deadline_days are the feeds' deadlines (searched first).") var mappings: String?

    func validate() throws {
        if let month, !ReportOptions.isMonth(month) { throw ValidationError("--month is YYYY-MM (2020-06), not '\(month)'") }
        if district != nil && street != nil { throw ValidationError("give --district or --street, not both") }
        if let minEvents, minEvents < 1 { throw ValidationError("--min-events is at least 1") }
        if let minRated, minRated < 0 { throw ValidationError("--min-rated is 0 or more") }
        _ = try ReportRequest.deadlines(deadline)
    }

    func run() throws {
        let workspace = try failingAs("report") { try Workspace.open(location.paths) }
        var options = ReportOptions(month: month, district: district, street: street, language: lang)
        if let minEvents { options.thresholds.minimumEvents = minEvents }
        if let minRated { options.thresholds.minimumRated = minRated }
        options.alerts = AlertOptions(deadlines: try ReportRequest.deadlines(deadline, mappings: mappings))
        let exporter = Exporter(warehouse: workspace.warehouse)
        do {
            try exporter.check(ExportFilter(district: district, street: street))
        } catch {
            // A filter naming what the warehouse does not hold is a usage error (exit 64).
            throw ValidationError(error.description)
        }
        let summary = try failingAs("report", exit: Exit.filesFailed) { try exporter.report(to: out, options: options) }
        print("report \(summary.month): \(summary.gridsListed) grids (\(summary.gridsDrawn) on the map), "
              + "\(summary.alerts) warnings → \(summary.path) (\(summary.bytes) bytes)")
    }
}

/// Parsing shared by `report` and `export`.
enum ReportRequest {
    /// Each feed's `deadline_days` from its mapping (the catalog's search order), with
    /// `--deadline FEED=DAYS` entries laid over them. A mapping that does not load gives
    /// no deadline: its feed keeps the default, as a feed without `deadline_days` does.
    static func deadlines(_ entries: [String], mappings folder: String?) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for (_, path) in MappingCatalog(folder: folder).allPaths() {
            if let mapping = try? Mapping.load(path: path), let days = mapping.deadlineDays { out[mapping.feed] = days }
        }
        return out.merging(try deadlines(entries)) { $1 }
    }

    /// `FEED=DAYS` entries as a table; a usage error names the entry that is not one.
    static func deadlines(_ entries: [String]) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, let days = Int(parts[1]), days >= 0 else {
                throw ValidationError("--deadline is FEED=DAYS (petition=60), not '\(entry)'")
            }
            out[String(parts[0])] = days
        }
        return out
    }
}
