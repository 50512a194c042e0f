import Foundation
import GRDB
import OneGridCodecs
import OneGridModel
import OneGridPipeline
import OneGridPrivacy
import OneGridWarehouse
import Testing

@Suite("Importing the sample feeds")
struct ImportInvariantTests {
    @Test("every file reconciles: read = new + updated + unchanged + rejected + skipped")
    func reconciliation() throws {
        let (workspace, _) = try makeWorkspace()
        let results = try importFeed(workspace, "hotline12345", files("hotline"))
            + importFeed(workspace, "petition", files("petition")) + importFeed(workspace, "patrol", files("patrol"))
        #expect(results.count == 8)
        for r in results where r.state == .loaded {
            #expect(r.counts.reconciles, "\(r.reconciliationLine)")
            #expect(r.counts.read > 0)
        }
        let stored = try workspace.warehouse.read { db in
            try Row.fetchAll(db, sql: "SELECT records_read, records_new, records_updated, records_unchanged, records_rejected, records_skipped FROM source_file WHERE state = 'loaded'")
        }
        for row in stored {
            #expect((row[0] as Int) == (row[1] as Int) + (row[2] as Int) + (row[3] as Int) + (row[4] as Int) + (row[5] as Int))
        }
    }

    @Test("the hotline samples load with the counts the files hold")
    func hotlineCounts() throws {
        let (workspace, _) = try makeWorkspace()
        let results = try importFeed(workspace, "hotline12345", files("hotline"))
        #expect(results.map(\.state) == [.loaded, .loaded, .loaded])
        #expect(results[0].counts.read == 52)
        #expect(results[0].counts.skipped == 3)
        let events = try workspace.warehouse.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE source = 'hotline12345'") }
        #expect(events == 150)
    }

    @Test("importing the same file twice changes nothing")
    func idempotent() throws {
        let (workspace, _) = try makeWorkspace()
        _ = try importFeed(workspace, "hotline12345", files("hotline"))
        let before = try contentDigest(workspace.warehouse)
        let again = try importFeed(workspace, "hotline12345", files("hotline"))
        #expect(again.map(\.state) == [.alreadyLoaded, .alreadyLoaded, .alreadyLoaded])
        let forced = try importFeed(workspace, "hotline12345", files("hotline"), force: true)
        #expect(forced.allSatisfy { $0.counts.new == 0 && $0.counts.updated == 0 })
        #expect(try contentDigest(workspace.warehouse) == before)
    }

    @Test("a later file's version supersedes the earlier one and both stay in event_version")
    func supersession() throws {
        let (workspace, _) = try makeWorkspace()
        _ = try importFeed(workspace, "hotline12345", files("hotline"))
        let row = try workspace.warehouse.read { db in
            try Row.fetchOne(db, sql: """
                SELECT e.id, e.content_hash, e.version_rank, (SELECT count(*) FROM event_version v WHERE v.event_id = e.id) AS versions,
                       (SELECT max(version_rank) FROM event_version v WHERE v.event_id = e.id) AS newest
                FROM event e WHERE e.source = 'hotline12345' AND
                    (SELECT count(DISTINCT content_hash) FROM event_version v WHERE v.event_id = e.id) >= 2 LIMIT 1
                """)
        }
        let r = try #require(row)
        #expect((r["versions"] as Int) >= 2)
        #expect((r["version_rank"] as String) == (r["newest"] as String))
    }

    @Test("an older patrol version arriving in a later file never overwrites the newer one")
    func outOfOrder() throws {
        let (workspace, _) = try makeWorkspace()
        _ = try importFeed(workspace, "patrol", files("patrol"))
        let stale = try workspace.warehouse.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM event e WHERE e.source = 'patrol'
                AND e.version_rank < (SELECT max(version_rank) FROM event_version v WHERE v.event_id = e.id)
                """)
        }
        #expect(stale == 0)
    }

    @Test("dry-run leaves the warehouse byte-for-byte unchanged")
    func dryRunWritesNothing() throws {
        let (workspace, folder) = try makeWorkspace()
        _ = try importFeed(workspace, "hotline12345", [files("hotline")[0]])
        let path = workspace.paths.warehouse
        try workspace.warehouse.database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        func snapshot() -> [String: Data] {
            var out: [String: Data] = [:]
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                out[name] = FileManager.default.contents(atPath: folder + "/" + name)
            }
            return out
        }
        let before = snapshot()
        let report = try DryRun(mapping: try mapping("hotline12345"), paths: workspace.paths).run(files: files("hotline"))
        #expect(snapshot() == before)
        #expect(report.files.count == 3)
        #expect(report.files[0].counts.unchanged == report.files[0].counts.read - report.files[0].counts.skipped - report.files[0].counts.rejected)
        _ = path
    }

    @Test("the clear ID number and phone of a caller appear nowhere in the warehouse file")
    func privacy() throws {
        let (workspace, folder) = try makeWorkspace()
        _ = try importFeed(workspace, "hotline12345", files("hotline"))
        // A caller's clear values, read straight from the UTF-8 sample file.
        let text = try #require(String(data: FileManager.default.contents(atPath: sampleData + "/hotline/12345_20200624.csv")!, encoding: .utf8))
        let phones = text.matches(of: /1[3-9][0-9]{9}/).map { String($0.output) }
        let ids = text.matches(of: /3201[0-9]{13}[0-9X]/).map { String($0.output) }
        #expect(!phones.isEmpty && !ids.isEmpty)
        try workspace.warehouse.database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        var bytes = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasPrefix("onegrid.sqlite") {
            bytes.append(FileManager.default.contents(atPath: folder + "/" + name) ?? Data())
        }
        for value in Set(phones + ids).prefix(40) {
            #expect(bytes.range(of: Data(value.utf8)) == nil, "\(value.prefix(3))… found in the warehouse")
        }
    }

    @Test("a file that is not CSV at all fails with a clear message and loads nothing")
    func notCSV() throws {
        let (workspace, folder) = try makeWorkspace()
        let path = folder + "/12345_20200701.csv"
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: URL(fileURLWithPath: path))
        let results = try importFeed(workspace, "hotline12345", [path])
        #expect(results[0].state == .failed)
        #expect(results[0].message?.contains("12345_20200701.csv") == true)
        #expect(results[0].message?.lowercased().contains("png") == true)
        let events = try workspace.warehouse.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") }
        #expect(events == 0)
    }

    @Test("a truncated petition file fails whole: nothing of it is loaded, line and column given")
    func truncatedXML() throws {
        let (workspace, _) = try makeWorkspace()
        let truncated = files("petition").first { $0.contains("truncated") }!
        let results = try importFeed(workspace, "petition", [truncated])
        #expect(results[0].state == .failed)
        #expect(results[0].message?.contains("xf_3201_20200623_truncated.xml:") == true)
        let events = try workspace.warehouse.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") }
        #expect(events == 0)
    }

    @Test("an invalid JSON line is a reject with its raw line kept, sealed, and the file loads")
    func invalidJSONLine() throws {
        let (workspace, _) = try makeWorkspace()
        let results = try importFeed(workspace, "patrol", [files("patrol")[0]])
        #expect(results[0].state == .loaded)
        let row = try #require(try workspace.warehouse.read { db in
            try Row.fetchOne(db, sql: "SELECT line, reason, raw FROM reject WHERE reason = 'invalid_json'")
        })
        let raw = try RecordSealer(key: workspace.key).open(Array(row["raw"] as Data))
        let lines = String(decoding: FileManager.default.contents(atPath: files("patrol")[0])!, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(String(decoding: raw, as: UTF8.self) == String(lines[(row["line"] as Int) - 1]))
    }

    @Test("the same caller calling twice is one person")
    func onePerson() throws {
        let (workspace, _) = try makeWorkspace()
        _ = try importFeed(workspace, "hotline12345", files("hotline"))
        let linked = try workspace.warehouse.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT person_id FROM event_party WHERE person_id IS NOT NULL GROUP BY person_id HAVING count(DISTINCT event_id) > 1)")
        }
        #expect((linked ?? 0) > 0)
    }
}

@Suite("Import order")
struct ImportOrderTests {
    @Test("files given newest first are still loaded in order of the export date in their names")
    func exportDateOrder() throws {
        let (workspace, _) = try makeWorkspace()
        let results = try importFeed(workspace, "hotline12345", files("hotline").reversed())
        #expect(results.map { ($0.path as NSString).lastPathComponent }
                == ["12345_20200623.csv", "12345_20200624.csv", "12345_20200625.csv.gz"])
        let loaded = try workspace.warehouse.read { db in
            try String.fetchAll(db, sql: "SELECT export_date FROM source_file ORDER BY id")
        }
        #expect(loaded == ["20200623", "20200624", "20200625"])
    }
}
