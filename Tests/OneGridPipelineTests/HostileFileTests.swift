import Foundation
import GRDB
import OneGridCodecs
import OneGridMapping
import OneGridPipeline
import OneGridWarehouse
import Testing

@Suite("One bad file or inbox never blocks the others")
struct HostileFileTests {
    @Test("a FIFO named like a feed file is skipped with its reason, never opened, moved or logged as a source file")
    func fifoInTheInbox() throws {
        let setup = try RunSetup(inboxes: [("hotline12345", "hotline", ["12345_20200623.csv"], "12345_*")])
        let fifo = setup.folder + "/inbox/hotline12345/12345_20200622.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        let summary = try setup.run()
        // The inbox listing passes it over with a logged reason (`RunEvent.fileSkipped`,
        // InboxSymlinkTests): it never becomes a file of the run.
        #expect(summary.files.map(\.state) == [.loaded])
        #expect(summary.failed == 0)
        #expect(setup.listing("inbox/hotline12345") == ["12345_20200622.csv"])
        #expect(setup.listing("inbox/archive/hotline12345") == ["12345_20200623.csv"])
        #expect(try setup.count("SELECT count(*) FROM source_file") == 1)
    }

    @Test("a gzip bomb fails as a suspected bomb, moves to failed/, and the run loads the next file")
    func gzipBombInTheInbox() throws {
        let setup = try RunSetup(inboxes: [("hotline12345", "hotline", ["12345_20200623.csv"], "12345_*")])
        // 16 MiB of newlines: about 1000:1, past the 200:1 limit once the 8 MiB grace is read.
        let bomb = setup.folder + "/inbox/hotline12345/12345_20200622.csv.gz"
        let sink = try GzipFileSink(path: bomb, level: 9)
        for _ in 0..<16 { try sink.write([UInt8](repeating: 0x0A, count: 1 << 20)) }
        try sink.close()
        let summary = try setup.run()
        #expect(summary.files.map(\.state) == [.failed, .loaded])
        #expect(summary.files[0].message?.contains("suspected gzip bomb") == true)
        #expect(summary.exitCode != 0)
        #expect(setup.listing("inbox/failed/hotline12345") == ["12345_20200622.csv.gz"])
        #expect(setup.listing("inbox/archive/hotline12345") == ["12345_20200623.csv"])
    }

    @Test("a missing inbox folder fails that feed only; the other feeds load")
    func missingInbox() throws {
        let setup = try RunSetup(inboxes: [("hotline12345", "hotline", ["12345_20200623.csv"], "12345_*"),
                                           ("patrol", "patrol", ["dlq_20200623.jsonl"], "dlq_*")])
        try FileManager.default.removeItem(atPath: setup.folder + "/inbox/patrol")
        let summary = try setup.run()
        #expect(summary.files.map(\.state) == [.failed, .loaded])
        #expect(summary.files[0].feed == "patrol")
        #expect(summary.files[0].message?.hasSuffix("the inbox folder cannot be listed") == true)
        #expect(try setup.count("SELECT count(*) FROM source_file WHERE state = 'loaded'") == 1)
        #expect(try setup.count("SELECT count(*) FROM run WHERE state = 'running'") == 0)
    }

    @Test("two importers (as two processes) given the same file at once: exactly one loads it, the other finds it loaded")
    func twoImportsOfOneFile() throws {
        let (first, _) = try makeWorkspace()
        let second = try Workspace.open(first.paths)
        let path = sampleData + "/hotline/12345_20200623.csv"
        let hotline = try mapping("hotline12345")
        let results = ResultBox()
        let group = DispatchGroup()
        // A third connection holds the write lock until both have fingerprinted the file and
        // found it not loaded: both then wait for the one writer, as two processes would.
        var holding = Configuration()
        holding.allowsUnsafeTransactions = true
        let blocker = try DatabaseQueue(path: first.paths.warehouse, configuration: holding)
        try blocker.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        for workspace in [first, second] {
            let job = ImportOnThread(FileImporter(workspace: workspace, mapping: hotline, resolution: try Resolution(warehouse: workspace.warehouse)))
            DispatchQueue.global().async(group: group) { results.append(job.importer.importFile(path, runID: nil).state) }
        }
        Thread.sleep(forTimeInterval: 2)
        try blocker.inDatabase { db in try db.execute(sql: "COMMIT") }
        group.wait()
        #expect(results.states.sorted { $0.rawValue < $1.rawValue } == [.alreadyLoaded, .loaded])
        #expect(try first.warehouse.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM source_file")! } == 1)
    }
}

/// An importer handed to one thread, used by that thread only.
private final class ImportOnThread: @unchecked Sendable {
    let importer: FileImporter
    init(_ importer: FileImporter) { self.importer = importer }
}

/// States collected from several threads.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [FileResult.State] = []
    func append(_ state: FileResult.State) { lock.withLock { collected.append(state) } }
    var states: [FileResult.State] { lock.withLock { collected } }
}

@Suite("No run stays running forever")
struct KilledRunTests {
    @Test("a run whose process is gone (a killed import) is marked interrupted when the next command starts")
    func killedImport() throws {
        let (workspace, _) = try makeWorkspace()
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let killed = try workspace.warehouse.startRun(command: "import", at: 1, pid: Int(gone.processIdentifier))
        let next = try RunLog.start(workspace.warehouse, command: "import")
        let runs = try workspace.warehouse.recentRuns(limit: 2)
        #expect(runs.map(\.id) == [next, killed])
        #expect(runs.map(\.state) == ["running", "interrupted"])
    }
}
