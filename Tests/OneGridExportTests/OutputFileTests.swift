import Foundation
import Testing
import OneGridExport
import OneGridModel

/// Output files land whole or not at all, through a temporary file no planted link can
/// redirect, with the mode their content calls for.
@Suite struct OutputFileTests {
    let folder: String
    let victim: String

    init() throws {
        folder = try temporaryDirectory()
        victim = folder + "/victim.txt"
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
    }

    func contents(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    func linkType(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// The process umask, read without changing it (`umask(2)` would race other tests).
    func processUmask() throws -> mode_t {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }!
        return mode_t(line.split(separator: "\t").last!.trimmingCharacters(in: .whitespaces), radix: 8)!
    }

    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    @Test("nothing is at the path until close, then the whole file is")
    func landsWhole() throws {
        let path = folder + "/ev.csv"
        let file = try OutputFile(path: path)
        try file.write(Array("a,b\r\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(file.temporaryPath.hasPrefix(folder + "/.ev.csv."))
        #expect(file.temporaryPath.hasSuffix(".partial"))
        #expect(linkType(file.temporaryPath) == S_IFREG)
        try file.close()
        #expect(try contents(path) == "a,b\r\n")
        #expect(try files() == ["ev.csv", "victim.txt"])
        #expect(file.bytes == 5)
    }

    @Test("the file's SHA-256 is known once it has landed, for the manifest to record")
    func digest() throws {
        let path = folder + "/ev.csv"
        let file = try OutputFile(path: path)
        try file.write(Array("ab".utf8))
        try file.write(Array(repeating: UInt8(ascii: "c"), count: 1 << 18))
        #expect(file.sha256 == nil)
        try file.close()
        var expected = [UInt8]("ab".utf8)
        expected += Array(repeating: UInt8(ascii: "c"), count: 1 << 18)
        #expect(file.sha256 == (try OutputFile.write(expected, to: folder + "/same.csv")))
        #expect(try OutputFile.write(Array("abc".utf8), to: folder + "/abc.txt")
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("a long Chinese file name still gets a temporary name the file system accepts")
    func longName() throws {
        let path = folder + "/" + String(repeating: "网格事件导出", count: 13) + ".csv"
        try OutputFile.write(Array("x".utf8), to: path)
        #expect(try contents(path) == "x")
    }

    @Test("a symbolic link planted at the target is replaced, its target untouched")
    func symlinkAtTarget() throws {
        let path = folder + "/ev.csv"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        try OutputFile.write(Array("new".utf8), to: path)
        #expect(try contents(victim) == "precious\n")
        #expect(linkType(path) == S_IFREG)
        #expect(try contents(path) == "new")
    }

    @Test("a dangling symbolic link at the target creates nothing where it points")
    func danglingSymlinkAtTarget() throws {
        let path = folder + "/ev.csv"
        let elsewhere = folder + "/elsewhere.txt"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        try OutputFile.write(Array("new".utf8), to: path)
        #expect(!FileManager.default.fileExists(atPath: elsewhere))
        #expect(try contents(path) == "new")
    }

    @Test("a hard link at the target keeps the other name's content")
    func hardLinkAtTarget() throws {
        let path = folder + "/ev.csv"
        #expect(link(victim, path) == 0)
        try OutputFile.write(Array("new".utf8), to: path)
        #expect(try contents(victim) == "precious\n")
        #expect(try contents(path) == "new")
    }

    @Test("a FIFO at the target is replaced without blocking")
    func fifoAtTarget() throws {
        let path = folder + "/ev.csv"
        #expect(mkfifo(path, 0o600) == 0)
        try OutputFile.write(Array("new".utf8), to: path)
        #expect(linkType(path) == S_IFREG)
        #expect(try contents(path) == "new")
    }

    @Test("a directory at the target is an error and leaves no temporary file")
    func directoryAtTarget() throws {
        let path = folder + "/ev.csv"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(throws: ExportError.io(path: path, message: "cannot move the finished file into place: Is a directory")) {
            try OutputFile.write(Array("new".utf8), to: path)
        }
        #expect(try files() == ["ev.csv", "victim.txt"])
    }

    @Test("clear personal data is 0600 exactly; other output 0644 less the umask")
    func modes() throws {
        let clear = folder + "/clear.csv", masked = folder + "/masked.csv"
        try OutputFile.write([1], to: clear, permissions: OutputPermissions(pii: .clear))
        try OutputFile.write([1], to: masked, permissions: OutputPermissions(pii: .masked))
        #expect(mode(clear) == 0o600)
        #expect(mode(masked) == 0o644 & ~(try processUmask()))
        #expect(OutputPermissions(pii: .token) == .readableByAll)
    }

    @Test("a file replaced by a clear export gets 0600 even if the old one was 0644")
    func replacedFileTakesTheNewMode() throws {
        let path = folder + "/people.csv"
        try OutputFile.write([1], to: path, permissions: .readableByAll)
        try OutputFile.write([2], to: path, permissions: .ownerOnly)
        #expect(mode(path) == 0o600)
    }

    @Test("a file dropped before close, or discarded, leaves nothing behind")
    func dropped() throws {
        let path = folder + "/ev.csv"
        do {
            let file = try OutputFile(path: path)
            try file.write(Array(repeating: 65, count: 1 << 19))
        }
        let discarded = try OutputFile(path: path)
        discarded.discard()
        #expect(try files() == ["victim.txt"])
    }

    @Test("a folder that does not exist is an error naming the path")
    func missingFolder() throws {
        let path = folder + "/missing/ev.csv"
        #expect(throws: ExportError.io(path: path, message: "cannot create a temporary file in its folder: No such file or directory")) {
            try OutputFile(path: path)
        }
    }

    @Test("remove takes away a link itself, not its target; nothing there is fine")
    func remove() throws {
        let manifest = folder + "/ev.csv.manifest.json"
        try FileManager.default.createSymbolicLink(atPath: manifest, withDestinationPath: victim)
        try OutputFile.remove(manifest)
        #expect(linkType(manifest) == nil)
        #expect(try contents(victim) == "precious\n")
        try OutputFile.remove(manifest)
    }

    @Test("a CSV writer lands its file only at finish, with the mode asked for")
    func csvWriter() throws {
        let path = folder + "/rejects.csv"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        let writer = try CSVTableWriter(path: path, bom: false, permissions: .ownerOnly)
        try writer.begin(columns: ["a"])
        try writer.write(row: [.text("x")])
        #expect(linkType(path) == S_IFLNK)
        #expect(writer.sha256 == nil)
        _ = try writer.finish()
        #expect(try contents(path) == "a\r\nx\r\n")
        #expect(writer.sha256 == (try OutputFile.write(Array("a\r\nx\r\n".utf8), to: folder + "/same.csv")))
        #expect(mode(path) == 0o600)
        #expect(try contents(victim) == "precious\n")
    }

    @Test("an export through planted links at its .partial and output paths leaves their targets untouched")
    func exportThroughPlantedLinks() throws {
        let path = folder + "/ev.csv"
        let other = folder + "/other.txt"
        try Data("other\n".utf8).write(to: URL(fileURLWithPath: other))
        try FileManager.default.createSymbolicLink(atPath: path + ".partial", withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: other)
        let summary = try Exporter(warehouse: try Sample.warehouse()).export(table: .events, format: .csv, to: path, options: options())
        #expect(try contents(victim) == "precious\n")
        #expect(try contents(other) == "other\n")
        #expect(linkType(path) == S_IFREG)
        #expect(summary.rows == 8)
    }
}
