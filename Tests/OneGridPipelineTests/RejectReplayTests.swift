import Foundation
import GRDB
import OneGridMapping
import OneGridModel
import OneGridPipeline
import OneGridWarehouse
import Testing

/// A copy of Mappings/ where the hotline mapping requires a dispatch time (派单时间), so
/// orders not yet dispatched are rejected: the "before the analyst fixed it" mapping.
func strictHotlineMappings() throws -> String {
    let folder = NSTemporaryDirectory() + "onegrid-mappings-" + UUID().uuidString
    try FileManager.default.copyItem(atPath: mappingsFolder, toPath: folder)
    let path = folder + "/hotline12345.yaml"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let strict = text.replacingOccurrences(of: "dispatched_at: {column: 派单时间, on_error: drop_value}",
                                           with: "dispatched_at: {column: 派单时间, required: true}")
    precondition(strict != text)
    try strict.write(toFile: path, atomically: true, encoding: .utf8)
    return folder
}

@Suite("rejects replay, reload after a mapping change, rejects sheet")
struct RejectReplayTests {
    @Test("replay under the fixed mapping loads the records that now pass, keeps the rest, and the file still reconciles")
    func replay() throws {
        let strict = try strictHotlineMappings()
        let setup = try RunSetup(mappings: strict, inboxes: [("hotline12345", "hotline", ["12345_20200623.csv"], "12345_*")])
        let loaded = try setup.run().files[0]
        #expect(loaded.counts.rejected == 7)
        let outcomes = try RejectReplay(workspace: setup.workspace, mappings: [try mapping("hotline12345")]).execute()
        #expect(outcomes.count == 1)
        #expect(outcomes[0].replayed == 7 && outcomes[0].new == 7 && outcomes[0].stillRejected == 0)
        let row = try setup.workspace.warehouse.read { db in
            try Row.fetchOne(db, sql: "SELECT records_read, records_new, records_updated, records_unchanged, records_rejected, records_skipped FROM source_file")!
        }
        #expect([row[0], row[1], row[2], row[3], row[4], row[5]] as [Int] == [52, 49, 0, 0, 0, 3])
        #expect(try RejectList(workspace: setup.workspace).entries() == [])

        // The same events, versions, steps, places and incidents as importing the file under
        // the fixed mapping directly (people differ only because each warehouse has its own key).
        let (direct, _) = try makeWorkspace()
        _ = try importFeed(direct, "hotline12345", [sampleData + "/hotline/12345_20200623.csv"])
        let tables: Set<String> = ["event", "event_version", "event_step", "place", "incident"]
        #expect(try WarehouseDigest.compute(setup.workspace.warehouse).filter { tables.contains($0.name) }
                == WarehouseDigest.compute(direct.warehouse).filter { tables.contains($0.name) })
    }

    @Test("the rejects sheet puts a CSV record's cells under its file's header names")
    func rejectsSheet() throws {
        let strict = try strictHotlineMappings()
        let setup = try RunSetup(mappings: strict, inboxes: [("hotline12345", "hotline", ["12345_20200623.csv"], "12345_*")])
        _ = try setup.run()
        let entries = try RejectList(workspace: setup.workspace).entries(limit: nil)
        let sheet = RejectSheet.table(entries)
        #expect(Array(sheet.columns.prefix(6)) == RejectSheet.leadingColumns + ["工单编号"])
        #expect(sheet.columns.last == "raw_record")
        #expect(sheet.rows.count == 7)
        let first = sheet.rows[0]
        #expect(first[0] == "12345_20200623.csv" && first[2] == "missing_required" && first[3] == "派单时间")
        #expect(first[5] == entries[0].cells?["工单编号"] && entries[0].raw.hasPrefix(first[5]))
        #expect(first.last == "")
    }

    @Test("status warns of files loaded under an earlier mapping; reload reprocesses them")
    func reloadAfterMappingChange() throws {
        let strict = try strictHotlineMappings()
        let setup = try RunSetup(mappings: strict, inboxes: [("hotline12345", "hotline", ["12345_20200623.csv"], "12345_*")])
        _ = try setup.run()
        let current = try mapping("hotline12345")
        let warning = "12345_20200623.csv: loaded under an earlier version of the hotline12345 mapping; `onegrid reload --feed hotline12345` reprocesses it"
        #expect(try StatusReport.render(warehouse: setup.workspace.warehouse, limit: 5, mappingHashes: ["hotline12345": current.hash]).contains(warning))
        var reload = FeedReload(workspace: setup.workspace, mapping: current)
        reload.searchFolders = [setup.configuration.feeds[0].archiveFolder]
        let summary = try reload.execute()
        #expect(summary.files.map(\.state) == [.loaded])
        #expect(summary.files[0].counts.new == 7 && summary.files[0].counts.rejected == 0)
        #expect(!(try StatusReport.render(warehouse: setup.workspace.warehouse, limit: 5, mappingHashes: ["hotline12345": current.hash]).contains(warning)))
        #expect(try reload.dueFiles() == [])
        #expect(try RejectList(workspace: setup.workspace).entries() == [])
    }

    @Test("a finished file is one JSON log line")
    func jsonLogLine() throws {
        var counts = FileCounts()
        counts.read = 10; counts.new = 7; counts.rejected = 1; counts.skipped = 2
        let result = FileResult(path: "/in/dlq_20200623.jsonl", feed: "patrol", state: .loaded, counts: counts, encoding: "UTF-8",
                                gzip: false, message: nil, seconds: 0.25, bytes: 2048)
        let line = RunEventFormat.json(.fileFinished(result), at: Date(timeIntervalSince1970: 1_592_870_400))
        #expect(line == #"{"bytes":2048,"event":"file_finished","feed":"patrol","file":"/in/dlq_20200623.jsonl","new":7,"read":10,"rejected":1,"seconds":0.25,"skipped":2,"state":"loaded","time":"2020-06-23T00:00:00.000Z","unchanged":0,"updated":0}"#)
        #expect(RunEventFormat.json(.fileProgress(feed: "patrol", path: "x", records: 1, bytesRead: 1, bytes: 2, seconds: 1), at: Date()) == nil)
    }

    @Test("the progress line shows records, rate, megabytes and the time left")
    func progressLine() {
        #expect(RunEventFormat.progressLine(path: "/in/12345_20200623.csv", records: 40960, bytesRead: 3_145_728, bytes: 9_437_184, seconds: 2)
                == "12345_20200623.csv  40,960 records  20,480 rec/s  3.0/9.0 MB  ETA 4s")
    }
}
