import Foundation
import GRDB
import OneGridMapping
import OneGridModel
import OneGridPipeline
import Testing

/// The JSON of a report, decoded into Foundation values to inspect its shape.
func json(_ report: DryRunReport) throws -> [String: Any] {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return try #require(try JSONSerialization.jsonObject(with: e.encode(report)) as? [String: Any])
}

func keys(_ value: Any?) -> [String] { ((value as? [String: Any]) ?? [:]).keys.sorted() }
func first(_ value: Any?) -> Any? { (value as? [Any])?.first }

/// The dry-run reads the warehouse as an immutable file, as of its last checkpoint: a
/// test that imports and dry-runs in one process checkpoints in between.
func checkpoint(_ workspace: Workspace) throws {
    try workspace.warehouse.database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
}

@Suite("The dry-run report: JSON shape, HTML page, the fourth feed")
struct DryRunReportTests {
    /// The citymgmt samples dry-run against a warehouse holding the first day's file.
    static func citymgmtReport() throws -> DryRunReport {
        let (workspace, _) = try makeWorkspace()
        let citymgmt = files("citymgmt").filter { $0.hasSuffix(".csv") }
        _ = try importFeed(workspace, "citymgmt", [citymgmt[0]])
        try checkpoint(workspace)
        return try DryRun(mapping: try mapping("citymgmt"), paths: workspace.paths).run(files: [citymgmt[1]])
    }

    @Test("the JSON keys, at every level, are exactly the documented ones")
    func jsonShape() throws {
        let report = try Self.citymgmtReport()
        let j = try json(report)
        #expect(keys(j) == ["coverage", "dropped_values", "events", "feed", "files", "format", "limit", "mapping", "no_grid_share",
                            "place_matches", "rejects", "report_version", "samples", "skips", "totals", "unmapped_values",
                            "unmatched_places", "unmatched_places_other"])
        #expect(j["report_version"] as? Int == 1)
        #expect(keys(j["mapping"]) == ["hash", "path"])
        #expect(keys(j["totals"]) == ["findings", "new", "read", "rejected", "skipped", "unchanged", "updated"])
        #expect(keys(first(j["files"])) == ["counts", "encoding", "failure", "gzip", "missing_sources", "padded_rows", "path", "unused_sources"])
        #expect(keys(first(j["rejects"])) == ["count", "examples", "reason"])
        #expect(keys(first((first(j["rejects"]) as? [String: Any])?["examples"])) == ["field", "file", "line", "message", "record", "value"])
        #expect(keys(first(j["coverage"])) == ["field", "filled", "mapped", "share"])
        #expect(keys(first(j["unmapped_values"])) == ["count", "field", "value"])
        #expect(keys(first(j["place_matches"])) == ["count", "method", "share"])
        #expect(keys(first(j["skips"])) == [])  // the second day has no footer
        #expect(keys(first(j["samples"])) == ["category", "grid", "match", "people", "place", "reported_at", "source_key", "status",
                                              "steps", "title"])
        #expect(j["limit"] is NSNull)
    }

    @Test("against the warehouse, the second day's cases are new, updated or unchanged")
    func classification() throws {
        let r = try Self.citymgmtReport()
        #expect(r.totals.read == 22)
        #expect(r.totals.new == 13)
        #expect(r.totals.updated == 6)
        #expect(r.totals.unchanged == 2)
        #expect(r.totals.rejected == 1)
        #expect(r.totals.read == r.totals.new + r.totals.updated + r.totals.unchanged + r.totals.rejected + r.totals.skipped)
    }

    @Test("a reject example names the file, line, column and raw value")
    func rejectExample() throws {
        let r = try Self.citymgmtReport()
        let example = try #require(r.rejects.first?.examples.first)
        #expect(r.rejects.map(\.reason) == ["invalid_datetime"])
        #expect((example.file as NSString).lastPathComponent == "szcg_20200624.csv")
        #expect(example.line == 22)
        #expect(example.field == "上报时间")
        #expect(example.value == "待补录")
    }

    @Test("values missing from the crosswalk, coverage of mapped and unmapped fields, unused columns")
    func findings() throws {
        let r = try Self.citymgmtReport()
        #expect(r.unmappedValues.map { "\($0.field)=\($0.value)×\($0.count)" } == ["category=扩展>21>07×1"])
        let coverage = Dictionary(uniqueKeysWithValues: r.coverage.map { ($0.field, $0) })
        #expect(coverage["reported_at"]?.share == 1)
        #expect(coverage["satisfaction"]?.mapped == false)
        #expect(r.files[0].unusedSources == ["部件编号"])
        #expect(r.files[0].missingSources == [])
    }

    @Test("skip reasons are counted, and --limit stops early")
    func skipsAndLimit() throws {
        let (workspace, _) = try makeWorkspace()
        try checkpoint(workspace)
        let first = files("citymgmt").filter { $0.hasSuffix(".csv") }[0]
        let full = try DryRun(mapping: try mapping("citymgmt"), paths: workspace.paths).run(files: [first])
        #expect(full.skips.map { "\($0.reason) \($0.count)" } == ["footer row 1", "test case 1"])
        let limited = try DryRun(mapping: try mapping("citymgmt"), paths: workspace.paths).run(files: [first], limit: 5)
        #expect(limited.totals.read == 5)
        #expect(limited.limit == 5)
    }

    @Test("tree feeds: fields present but never read are reported")
    func treeUnused() throws {
        let (workspace, _) = try makeWorkspace()
        try checkpoint(workspace)
        let r = try DryRun(mapping: try mapping("patrol"), paths: workspace.paths).run(files: [files("patrol")[0]])
        #expect(r.files[0].unusedSources == ["reporter.role", "photos", "app_version", "device.model", "device.os"])
        #expect(r.files[0].missingSources == [])
    }

    @Test("the HTML page is self-contained, with bar charts and the report's tables")
    func html() throws {
        let page = DryRunHTML.render(try Self.citymgmtReport())
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script") && !page.contains("<link"))
        for section in ["totals", "files", "schema", "rejects", "coverage", "unmapped", "places", "samples"] {
            #expect(page.contains("<section id=\"\(section)\">"), "section \(section)")
        }
        // Bars: one a coverage line, one a reject reason, one a place-match method.
        #expect(page.components(separatedBy: "class=\"bar-cov\"").count - 1 + page.components(separatedBy: "class=\"bar-muted\"").count - 1 == 23)
        #expect(page.components(separatedBy: "class=\"bar-rej\"").count - 1 == 1)
        #expect(page.contains("<td><code>待补录</code></td>"))
        #expect(page.contains("扩展&gt;21&gt;07"))
    }

    @Test("the mapping summary names what the mapping reads and fills")
    func summary() throws {
        let text = MappingSummary.render(try mapping("citymgmt"))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1] == "feed citymgmt (数字城管案件), csv, encoding auto, delimiter ','")
        #expect(lines[2] == "columns read: 35 (required in every file: 案件编号, 上报时间)")
        #expect(lines.contains("skips rows matching: ^\\s*(合计|总计) (footer row); ^TEST (test case)"))
    }
}

@Suite("The fourth feed imports like the others")
struct CityManagementImportTests {
    @Test("both sample files load, reconcile, and most cases land in a grid with a unified category")
    func imports() throws {
        let (workspace, _) = try makeWorkspace()
        let results = try importFeed(workspace, "citymgmt", files("citymgmt").filter { $0.hasSuffix(".csv") })
        #expect(results.map(\.state) == [.loaded, .loaded])
        #expect(results.allSatisfy { $0.counts.reconciles })
        let (events, gridded, categorised, steps) = try workspace.warehouse.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE source = 'citymgmt'")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE source = 'citymgmt' AND grid_code IS NOT NULL")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE source = 'citymgmt' AND category LIKE '__.__'")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM event_step s JOIN event e ON e.id = s.event_id WHERE e.source = 'citymgmt'")!)
        }
        #expect(events == 37)
        #expect(gridded == 37)
        #expect(categorised == 36)
        #expect(steps > events)
    }
}
