import Foundation
import OneGridPrivacy
import Testing

/// The key file is judged by the file that holds the bytes: a symbolic link is followed and
/// its target's mode and type decide; writing never goes through anything already there.
@Suite("Key files")
struct KeyFileTests {
    let key = PIIKey(bytes: Array(repeating: 7, count: 32))
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "onegrid-keyfile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        #expect(lstat(path, &info) == 0)
        return info.st_mode & 0o7777
    }

    @Test("a new key file is mode 0600 and loads back")
    func roundTrip() throws {
        let path = folder + "/onegrid.key"
        try key.write(path: path)
        #expect(mode(path) == 0o600)
        #expect(try PIIKey.load(path: path).fingerprint == key.fingerprint)
    }

    @Test("a symbolic link to a 0600 key file loads: the target's mode is what counts")
    func linkToPrivateKey() throws {
        let target = folder + "/secret.key", link = folder + "/onegrid.key"
        try key.write(path: target)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try PIIKey.load(path: link).fingerprint == key.fingerprint)
    }

    @Test("a symbolic link to a world-readable key file is refused with the target's mode")
    func linkToOpenKey() throws {
        let target = folder + "/secret.key", link = folder + "/onegrid.key"
        try key.write(path: target)
        #expect(chmod(target, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(throws: PIIKey.Problem.tooOpen(path: link, mode: "644")) { try PIIKey.load(path: link) }
    }

    @Test("a FIFO or a directory is refused without blocking")
    func notRegular() throws {
        let fifo = folder + "/fifo.key", link = folder + "/onegrid.key"
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fifo)
        #expect(throws: PIIKey.Problem.notRegularFile(path: link)) { try PIIKey.load(path: link) }
        #expect(throws: PIIKey.Problem.notRegularFile(path: folder)) { try PIIKey.load(path: folder) }
    }

    @Test("a dangling link cannot be read")
    func danglingLink() throws {
        let link = folder + "/onegrid.key"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder + "/gone.key")
        #expect(throws: PIIKey.Problem.unreadable(path: link, reason: "No such file or directory")) { try PIIKey.load(path: link) }
    }

    @Test("a big file is not a key, whatever it starts with")
    func oversized() throws {
        let path = folder + "/onegrid.key"
        try key.write(path: path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0x20, count: 5000))
        try handle.close()
        #expect(throws: PIIKey.Problem.malformed(path: path)) { try PIIKey.load(path: path) }
    }

    @Test("writing never replaces a file, nor follows a link, dangling or not")
    func writeRefusesWhatIsThere() throws {
        let existing = folder + "/existing.key"
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: existing))
        #expect(throws: PIIKey.Problem.exists(path: existing)) { try key.write(path: existing) }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep\n")

        let link = folder + "/onegrid.key", target = folder + "/planted.key"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(throws: PIIKey.Problem.exists(path: link)) { try key.write(path: link) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
