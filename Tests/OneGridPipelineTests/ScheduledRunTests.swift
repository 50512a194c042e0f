import Foundation
import GRDB
import OneGridModel
import OneGridPipeline
import OneGridWarehouse
import Testing

/// A warehouse with reference data, inboxes holding copies of sample files, and a config.
struct RunSetup {
    let folder: String
    let configuration: RunConfiguration
    let workspace: Workspace

    /// `inboxes`: feed → sample files (names under SampleData/<folder>) to copy into it.
    init(processed: String = "archive", threshold: String = "", mappings: String = mappingsFolder,
         inboxes: [(feed: String, sample: String, files: [String], pattern: String)]) throws {
        let (workspace, folder) = try makeWorkspace()
        self.folder = folder
        self.workspace = workspace
        var yaml = """
        warehouse: onegrid.sqlite
        mappings: \(mappings)
        processed: \(processed)
        \(threshold)
        feeds:

        """
        for inbox in inboxes {
            let dir = folder + "/inbox/" + inbox.feed
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for name in inbox.files {
                try FileManager.default.copyItem(atPath: sampleData + "/\(inbox.sample)/" + name, toPath: dir + "/" + name)
            }
            yaml += "  \(inbox.feed): {inbox: inbox/\(inbox.feed), pattern: '\(inbox.pattern)'}\n"
        }
        try yaml.write(toFile: folder + "/onegrid.yaml", atomically: true, encoding: .utf8)
        configuration = try RunConfiguration.load(path: folder + "/onegrid.yaml")
    }

    func run(force: [String] = []) throws -> RunSummary {
        var job = ScheduledRun(configuration: configuration)
        job.force = force
        return try job.execute()
    }

    func listing(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + sub)) ?? []).sorted()
    }

    func count(_ sql: String) throws -> Int {
        try workspace.warehouse.read { db in try Int.fetchOne(db, sql: sql)! }
    }
}

@Suite("onegrid run: configuration, lock, inboxes, thresholds")
struct ScheduledRunTests {
    @Test("the sample onegrid.yaml reads as documented")
    func sampleConfiguration() throws {
        let c = try RunConfiguration.load(path: sampleData + "/onegrid.yaml")
        #expect(c.warehouse == sampleData + "/demo-run/onegrid.sqlite")
        #expect(c.keyFile == sampleData + "/demo-run/onegrid.key")
        #expect(c.processed == .leave)
        #expect(c.feeds.map(\.name) == ["hotline12345", "petition", "patrol"])
        #expect(c.feeds[0].mapping == sampleData + "/../Mappings/hotline12345.yaml")
        #expect(c.feeds[0].inbox == sampleData + "/hotline")
        #expect(c.feeds[0].pattern == "12345_*.csv*")
        #expect(c.feeds[0].threshold == RejectThreshold(maxRejected: 1000, maxShare: 0.05, minimumRecords: 100))
        #expect(c.feeds[2].threshold == RejectThreshold(maxRejected: 1000, maxShare: 0.10, minimumRecords: 100))
        #expect(c.feeds[0].archiveFolder == sampleData + "/archive/hotline")
    }

    @Test("a configuration error names the file, line and key")
    func configurationError() throws {
        let yaml = "warehouse: w.sqlite\nfeeds:\n  patrol:\n    inbox: in\n    patern: '*.jsonl'\n"
        #expect(throws: ConfigurationError(file: "/etc/onegrid.yaml", line: 5, keyPath: "feeds.patrol.patern",
                                           message: "unknown key 'patern' (known keys: inbox, mapping, pattern, reject_threshold)")) {
            try RunConfiguration.parse(yaml, path: "/etc/onegrid.yaml")
        }
    }

    @Test("a configuration of nested aliases is refused by the YAML gate before it expands, without its text")
    func configurationAliasBomb() throws {
        var yaml = "a0: &a0 [secret-key-path, secret-key-path]\n"
        for i in 1...30 { yaml += "a\(i): &a\(i) [*a\(i - 1), *a\(i - 1)]\n" }
        yaml += "warehouse: w.sqlite\n"
        do {
            _ = try RunConfiguration.parse(yaml, path: "/etc/onegrid.yaml")
            Issue.record("an alias bomb was accepted")
        } catch let error as ConfigurationError {
            #expect(error.file == "/etc/onegrid.yaml")
            #expect(error.message.contains("alias") || error.message.contains("nodes"))
            #expect(!error.description.contains("secret-key-path"))
        }
    }

    @Test("a second lock on the warehouse fails at once and names the holder's PID")
    func lockHeld() throws {
        let folder = NSTemporaryDirectory() + "onegrid-lock-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let first = try RunLock(warehouse: folder + "/w.sqlite")
        #expect(throws: RunLock.Held(lockFile: folder + "/w.sqlite.lock", pid: ProcessInfo.processInfo.processIdentifier)) {
            _ = try RunLock(warehouse: folder + "/w.sqlite")
        }
        first.release()
        _ = try RunLock(warehouse: folder + "/w.sqlite")
    }

    @Test("a lock file left by a dead run does not block")
    func staleLock() throws {
        let folder = NSTemporaryDirectory() + "onegrid-lock-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "999999\n".write(toFile: folder + "/w.sqlite.lock", atomically: true, encoding: .utf8)
        let lock = try RunLock(warehouse: folder + "/w.sqlite")
        #expect(try String(contentsOfFile: folder + "/w.sqlite.lock", encoding: .utf8) == "\(ProcessInfo.processInfo.processIdentifier)\n")
        lock.release()
    }

    @Test("run refuses to start while another holds the lock, and loads nothing")
    func runWhileLocked() throws {
        let setup = try RunSetup(inboxes: [("patrol", "patrol", ["dlq_20200623.jsonl"], "dlq_*")])
        let lock = try RunLock(warehouse: setup.configuration.warehouse)
        #expect(throws: RunLock.Held.self) { try setup.run() }
        #expect(try setup.count("SELECT count(*) FROM event") == 0)
        lock.release()
        #expect(try setup.run().loaded == 1)
    }

    @Test("files load in export-date order, are archived, and a second run over a re-sent copy loads nothing")
    func incrementalRun() throws {
        let setup = try RunSetup(inboxes: [
            ("hotline12345", "hotline", ["12345_20200624.csv", "12345_20200623.csv"], "12345_*.csv*"),
            ("patrol", "patrol", ["dlq_20200623.jsonl"], "dlq_*.jsonl"),
        ])
        let first = try setup.run()
        #expect(first.files.map { ($0.path as NSString).lastPathComponent } == ["12345_20200623.csv", "dlq_20200623.jsonl", "12345_20200624.csv"])
        #expect(first.files.map(\.state) == [.loaded, .loaded, .loaded])
        #expect(first.exitCode == 0)
        #expect(setup.listing("inbox/hotline12345") == [])
        #expect(setup.listing("inbox/archive/hotline12345") == ["12345_20200623.csv", "12345_20200624.csv"])
        let events = try setup.count("SELECT count(*) FROM event")
        // The same export re-sent under another name is recognised by its SHA-256.
        try FileManager.default.copyItem(atPath: sampleData + "/hotline/12345_20200623.csv",
                                        toPath: setup.folder + "/inbox/hotline12345/12345_20200623-resent.csv")
        let second = try setup.run()
        #expect(second.files.map(\.state) == [.alreadyLoaded])
        #expect(second.exitCode == 0)
        #expect(try setup.count("SELECT count(*) FROM event") == events)
        #expect(setup.listing("inbox/archive/hotline12345") == ["12345_20200623-resent.csv", "12345_20200623.csv", "12345_20200624.csv"])
    }

    @Test("--force reloads an archived file with an identical result")
    func forceReload() throws {
        let setup = try RunSetup(inboxes: [("patrol", "patrol", ["dlq_20200623.jsonl", "dlq_20200624.jsonl"], "dlq_*")])
        _ = try setup.run()
        // The reload is a new load of the file (its own source_file row, rejects and findings,
        // the earlier ones superseded); the data it loads is unchanged.
        let data: Set<String> = ["person", "place", "incident", "event", "event_version", "event_party", "event_step", "unmapped_value"]
        let before = try WarehouseDigest.compute(setup.workspace.warehouse).filter { data.contains($0.name) }
        let again = try setup.run(force: [setup.folder + "/inbox/archive/patrol/dlq_20200623.jsonl"])
        #expect(again.files.map(\.state) == [.loaded])
        #expect(again.files[0].counts.unchanged == 30)
        #expect(try WarehouseDigest.compute(setup.workspace.warehouse).filter { data.contains($0.name) } == before)
        #expect(setup.listing("inbox/archive/patrol") == ["dlq_20200623.jsonl", "dlq_20200624.jsonl"])
    }

    @Test("a file above its reject threshold fails whole, is set aside, and loads once fixed and re-sent")
    func thresholdFailsWhole() throws {
        let setup = try RunSetup(threshold: "reject_threshold: {max_rejected: 0}",
                                 inboxes: [("patrol", "patrol", ["dlq_20200623.jsonl"], "dlq_*")])
        let failed = try setup.run()
        #expect(failed.files.map(\.state) == [.overThreshold])
        #expect(failed.files[0].message == "1 rejected records exceed the limit of 0")
        #expect(failed.files[0].counts.read == 8)
        #expect(failed.exitCode == 1)
        #expect(try setup.count("SELECT count(*) FROM event") == 0)
        #expect(try setup.count("SELECT count(*) FROM reject") == 0)
        #expect(try setup.count("SELECT count(*) FROM source_file WHERE state = 'over_threshold'") == 1)
        #expect(setup.listing("inbox/failed/patrol") == ["dlq_20200623.jsonl"])
        let status = try StatusReport.render(warehouse: setup.workspace.warehouse, limit: 5)
        #expect(status.contains("dlq_20200623.jsonl: over_threshold: 1 rejected records exceed the limit of 0"))

        // The department fixes line 8 (cut-off JSON) and sends the file again.
        let text = try String(contentsOfFile: sampleData + "/patrol/dlq_20200623.jsonl", encoding: .utf8)
        let fixed = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset != 7 }.map(\.element).joined(separator: "\n")
        try fixed.write(toFile: setup.folder + "/inbox/patrol/dlq_20200623.jsonl", atomically: true, encoding: .utf8)
        let again = try setup.run()
        #expect(again.files.map(\.state) == [.loaded])
        #expect(again.files[0].counts.rejected == 0)
        #expect(again.files[0].counts.new == 30)
        #expect(again.exitCode == 0)
    }
}
