import Foundation
@testable import OneGridPipeline
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Inbox: only regular files are read")
struct InboxSymlinkTests {
    @Test("symbolic links, FIFOs and folders are skipped with a reason; regular files are listed")
    func listing() throws {
        let folder = NSTemporaryDirectory() + "onegrid-inbox-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/12345_20200601.csv", withIntermediateDirectories: true)
        try "a\n".write(toFile: folder + "/12345_20200602.csv", atomically: true, encoding: .utf8)
        try "secret\n".write(toFile: folder + "/target.txt", atomically: true, encoding: .utf8)
        #expect(symlink(folder + "/target.txt", folder + "/12345_20200603.csv") == 0)
        #expect(symlink("/etc", folder + "/12345_20200604.csv") == 0)
        #expect(mkfifo(folder + "/12345_20200605.csv", 0o600) == 0)
        let plain = try Inbox.listing(in: folder, pattern: "12345_*.csv", exportDate: { _ in nil })
        #expect(plain.files == [folder + "/12345_20200602.csv"])
        #expect(plain.skipped == [
            Inbox.Skip(path: folder + "/12345_20200601.csv", reason: "a folder, not a regular file"),
            Inbox.Skip(path: folder + "/12345_20200603.csv", reason: "a symbolic link (set follow_symlinks: true to read links)"),
            Inbox.Skip(path: folder + "/12345_20200604.csv", reason: "a symbolic link (set follow_symlinks: true to read links)"),
            Inbox.Skip(path: folder + "/12345_20200605.csv", reason: "a FIFO, not a regular file"),
        ])
        let following = try Inbox.listing(in: folder, pattern: "12345_*.csv", followSymlinks: true, exportDate: { _ in nil })
        #expect(following.files == [folder + "/12345_20200602.csv", folder + "/12345_20200603.csv"])
        #expect(following.skipped.map(\.reason) == ["a folder, not a regular file", "a symbolic link to a folder, not to a regular file",
                                                    "a FIFO, not a regular file"])
    }

    @Test("a run skips inbox links to the key file and /etc/passwd: nothing of either reaches the warehouse")
    func runSkipsLinks() throws {
        let setup = try RunSetup(inboxes: [(feed: "hotline12345", sample: "hotline", files: [], pattern: "12345_*.csv*")])
        let inbox = setup.folder + "/inbox/hotline12345"
        #expect(symlink(setup.workspace.paths.keyFile, inbox + "/12345_20200604.csv") == 0)
        #expect(symlink("/etc/passwd", inbox + "/12345_20200605.csv") == 0)
        var job = ScheduledRun(configuration: setup.configuration)
        var events: [RunEvent] = []
        job.onEvent = { events.append($0) }
        let summary = try job.execute()
        #expect(summary.files.isEmpty)
        #expect(events.filter { if case .fileSkipped = $0 { true } else { false } }.count == 2)
        #expect(try setup.count("SELECT count(*) FROM source_file") == 0)
        #expect(try setup.count("SELECT count(*) FROM reject") == 0)
        let key = try String(contentsOfFile: setup.workspace.paths.keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let stored = FileManager.default.contents(atPath: setup.workspace.paths.warehouse) ?? Data()
        #expect(!key.isEmpty && String(decoding: stored, as: UTF8.self).contains(key) == false)
        #expect(String(decoding: stored, as: UTF8.self).contains("root:x:0:0") == false)
    }
}
