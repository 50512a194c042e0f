import Foundation
import OneGridMapping
import OneGridModel
import OneGridPipeline
import Testing

let unseenFixtures = repositoryRoot + "/Tests/Fixtures/unseen"

@Suite("The dry-run shows dropped values and unmatched places (#19)")
struct DryRunFindingsTests {
    /// The unseen 12319 feed dry-run against a warehouse holding only reference data.
    static func report() throws -> DryRunReport {
        let (workspace, _) = try makeWorkspace()
        let mapping = try Mapping.load(path: unseenFixtures + "/cj12319.yaml")
        return try DryRun(mapping: mapping, paths: workspace.paths).run(files: [unseenFixtures + "/cj12319_20200626.csv"])
    }

    @Test("a value dropped under on_error: drop_value is listed by field and reason, with file, line and value")
    func dropped() throws {
        let r = try Self.report()
        #expect(r.droppedValues.map { "\($0.field) \($0.reason) \($0.count)" } == ["headcount invalid_integer 1"])
        let e = try #require(r.droppedValues.first?.examples.first)
        #expect(e.file.hasSuffix("cj12319_20200626.csv"))
        #expect(e.line == 6)
        #expect(e.value == "十余人")
        #expect(e.message == "'十余人' is not a whole number")
    }

    @Test("a crosswalk default is no dropped value: it is listed with the unmapped values")
    func defaultIsNotDropped() throws {
        let r = try Self.report()
        #expect(r.unmappedValues.map { "\($0.field) \($0.value) \($0.count)" } == ["category 未知类>其他 1", "category 道路> 1"])
    }

    @Test("the place texts that matched nothing, most frequent first, with their counts")
    func unmatchedPlaces() throws {
        let r = try Self.report()
        #expect(r.unmatchedPlaces.map { "\($0.place) \($0.count)" } == ["无名路 3"])
        #expect(r.unmatchedPlacesOther == 0)
    }

    @Test("the JSON carries both lists under documented keys")
    func json() throws {
        let j = try DryRunFindingsTests.decoded(try Self.report())
        #expect(keys(first(j["dropped_values"])) == ["count", "examples", "field", "reason"])
        #expect(keys(first((first(j["dropped_values"]) as? [String: Any])?["examples"])) == ["file", "line", "message", "value"])
        #expect(keys(first(j["unmatched_places"])) == ["count", "place"])
        #expect(j["unmatched_places_other"] as? Int == 0)
    }

    @Test("the terminal lines, exactly")
    func text() throws {
        #expect(try Self.report().findingLines == [
            "values dropped (on_error: drop_value; the records kept without them):",
            "  headcount invalid_integer: 1",
            "    cj12319_20200626.csv:6 value '十余人': '十余人' is not a whole number",
            "places that matched nothing, most frequent first:",
            "  '无名路' × 3",
        ])
    }

    @Test("the HTML page has both sections")
    func html() throws {
        let page = DryRunHTML.render(try Self.report())
        #expect(page.contains("<section id=\"dropped\"><h2>Values dropped (<code>on_error: drop_value</code>)</h2>"))
        #expect(page.contains("<td>headcount</td><td><code>invalid_integer</code></td><td>cj12319_20200626.csv:6</td><td><code>十余人</code></td>"))
        #expect(page.contains("<h3>Places that matched nothing, most frequent first</h3>"))
        #expect(page.contains("<tr><td>无名路</td><td class=\"n\">3</td></tr>"))
    }

    static func decoded(_ report: DryRunReport) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
    }
}

@Suite("The dry-run reads rows still in the WAL and writes no byte (#12)")
struct DryRunWALTests {
    /// The warehouse's file, -wal and -shm, and the folder's listing.
    static func state(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return out
    }

    @Test("a file loaded by a run killed before its checkpoint is predicted unchanged, and nothing changes")
    func walSeen() throws {
        let (workspace, folder) = try makeWorkspace()
        let day = try #require(files("citymgmt").first { $0.hasSuffix("20200623.csv") })
        _ = try importFeed(workspace, "citymgmt", [day])
        // What a kill -9 leaves: the file, its WAL holding the import, the -shm index.
        let killed = NSTemporaryDirectory() + "onegrid-killed-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: killed, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] {
            try FileManager.default.copyItem(atPath: workspace.paths.warehouse + suffix, toPath: killed + "/onegrid.sqlite" + suffix)
        }
        try FileManager.default.copyItem(atPath: folder + "/onegrid.key", toPath: killed + "/onegrid.key")
        let wal = try #require(try FileManager.default.attributesOfItem(atPath: killed + "/onegrid.sqlite-wal")[.size] as? NSNumber)
        #expect(wal.intValue > 0)
        let before = try Self.state(killed)

        let paths = WorkspacePaths(warehouse: killed + "/onegrid.sqlite", keyFile: killed + "/onegrid.key")
        let r = try DryRun(mapping: try mapping("citymgmt"), paths: paths).run(files: [day])
        #expect(r.totals.new == 0)
        #expect(r.totals.updated == 0)
        #expect(r.totals.unchanged == r.totals.read - r.totals.rejected - r.totals.skipped)
        #expect(r.totals.unchanged > 0)
        #expect(try Self.state(killed) == before)
    }

    @Test("a warehouse without a WAL is read in place, and nothing changes either")
    func noWAL() throws {
        let (workspace, folder) = try makeWorkspace()
        let day = try #require(files("citymgmt").first { $0.hasSuffix("20200623.csv") })
        _ = try importFeed(workspace, "citymgmt", [day])
        try checkpoint(workspace)
        let before = try Self.state(folder)
        let r = try DryRun(mapping: try mapping("citymgmt"), paths: workspace.paths).run(files: [day])
        #expect(r.totals.new == 0)
        #expect(try Self.state(folder) == before)
    }
}
