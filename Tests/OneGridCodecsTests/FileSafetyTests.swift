import OneGridCodecs
import Testing
#if canImport(Glibc)
import Glibc
#endif

private func scratchPath(_ suffix: String) -> String {
    "/tmp/onegrid-codecs-safety-\(getpid())-\(UInt64.random(in: 0...UInt64.max))\(suffix)"
}

private func write(_ path: String, _ bytes: [UInt8]) throws {
    let sink = try FileByteSink(path: path)
    try sink.write(bytes)
    try sink.close()
}

private func drain(_ stream: inout any ByteStream, chunk: Int = 4096) throws -> [UInt8] {
    var out: [UInt8] = []
    while try stream.read(into: &out, maxCount: chunk) > 0 {}
    return out
}

/// Collects every byte a file stream reads, as the pipeline's SHA-256 tap would.
private final class CollectingTap: ByteTap {
    var bytes: [UInt8] = []
    func consume(_ chunk: UnsafeRawBufferPointer) { bytes.append(contentsOf: chunk) }
}

/// Only regular files are opened, and a FIFO never blocks (issue #12).
@Suite("Opening only regular files")
struct RegularFileTests {
    @Test func fifoIsRefusedWithoutBlocking() throws {
        let path = scratchPath(".csv")
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        #expect(throws: ByteIOError(path: path, message: "is a FIFO (named pipe), not a regular file", kind: .notRegularFile)) {
            _ = try FileByteStream(path: path)
        }
    }

    @Test func directoryIsRefused() throws {
        #expect(throws: ByteIOError(path: "/tmp", message: "is a directory, not a regular file", kind: .notRegularFile)) {
            _ = try FileByteStream(path: "/tmp")
        }
    }

    @Test func deviceIsRefused() throws {
        #expect(throws: ByteIOError(path: "/dev/zero", message: "is a character device, not a regular file", kind: .notRegularFile)) {
            _ = try ByteSource.open(path: "/dev/zero")
        }
    }

    @Test func symlinkIsRefusedUnlessFollowedAndThenItsTargetMustBeRegular() throws {
        let target = scratchPath(".csv")
        let link = scratchPath("-link.csv")
        let fifo = scratchPath(".fifo")
        let fifoLink = scratchPath("-fifo-link.csv")
        try write(target, Array("a,b\n".utf8))
        #expect(symlink(target, link) == 0)
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(symlink(fifo, fifoLink) == 0)
        defer { for p in [target, link, fifo, fifoLink] { unlink(p) } }
        #expect(throws: ByteIOError(path: link, message: "is a symbolic link, not a regular file (links are not followed)", kind: .notRegularFile)) {
            _ = try FileByteStream(path: link)
        }
        var followed: any ByteStream = try FileByteStream(path: link, policy: FileOpenPolicy(followSymlinks: true))
        #expect(try drain(&followed) == Array("a,b\n".utf8))
        #expect(throws: ByteIOError(path: fifoLink, message: "is a FIFO (named pipe), not a regular file", kind: .notRegularFile)) {
            _ = try FileByteStream(path: fifoLink, policy: FileOpenPolicy(followSymlinks: true))
        }
    }
}

/// A file that changes while it is read fails whole; the bytes a tap saw are those read.
@Suite("Files that change while read")
struct ChangingFileTests {
    @Test func fileAppendedWhileReadFails() throws {
        let path = scratchPath(".csv")
        try write(path, [UInt8](repeating: 0x61, count: 10_000))
        defer { unlink(path) }
        let stream = try FileByteStream(path: path)
        var out: [UInt8] = []
        _ = try stream.read(into: &out, maxCount: 4096)
        let fd = open(path, O_WRONLY | O_APPEND)
        _ = [UInt8](repeating: 0x62, count: 500).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let error = #expect(throws: ByteIOError.self) {
            while try stream.read(into: &out, maxCount: 4096) > 0 {}
        }
        #expect(error?.kind == .changedWhileRead)
        #expect(error?.message == "the file changed while it was read (it grew past the 10000 bytes it had when it was opened); try it again once it is complete")
    }

    @Test func fileRewrittenInPlaceWithTheSameSizeFailsAtItsEnd() throws {
        let path = scratchPath(".csv")
        try write(path, [UInt8](repeating: 0x61, count: 100))
        defer { unlink(path) }
        let stream = try FileByteStream(path: path)
        var out: [UInt8] = []
        _ = try stream.read(into: &out, maxCount: 50)
        let fd = open(path, O_WRONLY)
        _ = [UInt8](repeating: 0x62, count: 100).withUnsafeBytes { Glibc.pwrite(fd, $0.baseAddress, $0.count, 0) }
        // A distinct modification time, as a rewrite any later than a clock tick has.
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        futimens(fd, &times)
        close(fd)
        let error = #expect(throws: ByteIOError.self) {
            while try stream.read(into: &out, maxCount: 4096) > 0 {}
        }
        #expect(error?.kind == .changedWhileRead)
        #expect(error?.message == "the file changed while it was read (it was modified after it was opened); try it again once it is complete")
    }

    @Test func fileTruncatedWhileReadFails() throws {
        let path = scratchPath(".csv")
        try write(path, [UInt8](repeating: 0x61, count: 100))
        defer { unlink(path) }
        let stream = try FileByteStream(path: path)
        var out: [UInt8] = []
        _ = try stream.read(into: &out, maxCount: 10)
        #expect(truncate(path, 40) == 0)
        let error = #expect(throws: ByteIOError.self) {
            while try stream.read(into: &out, maxCount: 4096) > 0 {}
        }
        #expect(error?.message == "the file changed while it was read (100 bytes at opening, 40 read, 40 now); try it again once it is complete")
    }

    @Test func tapSeesExactlyTheBytesReadFromDiskCompressedOnesForGzip() throws {
        let path = scratchPath(".gz")
        defer { unlink(path) }
        let sink = try GzipFileSink(path: path)
        try sink.write(Array(String(repeating: "工单,1\n", count: 5000).utf8))
        try sink.close()
        let tap = CollectingTap()
        var opened = try ByteSource.open(path: path, tap: tap)
        #expect(opened.gzip)
        #expect(try drain(&opened.stream).count == 5000 * Array("工单,1\n".utf8).count)
        #expect(tap.bytes == (try FileByteStream.prefix(of: path, count: 1 << 20)))
    }
}

/// Decompression beyond a size or ratio fails the file as a suspected bomb, fast.
@Suite("Gzip bombs")
struct GzipBombTests {
    /// `count` newlines, gzip-compressed by zlib (about 1000:1), written to a fresh file.
    private func newlineBomb(_ count: Int) throws -> String {
        let path = scratchPath(".csv.gz")
        let sink = try GzipFileSink(path: path, level: 9)
        let chunk = [UInt8](repeating: 0x0A, count: 1 << 20)
        for _ in 0..<(count >> 20) { try sink.write(chunk) }
        try sink.close()
        return path
    }

    @Test func ratioOverTheLimitAfterTheGraceFailsAsASuspectedBomb() throws {
        let path = try newlineBomb(64 << 20)
        defer { unlink(path) }
        var opened = try ByteSource.open(path: path, limits: InflateLimits(maxRatio: 200, ratioGrace: 1 << 20))
        let error = #expect(throws: ByteIOError.self) { _ = try drain(&opened.stream, chunk: 1 << 16) }
        #expect(error?.kind == .limitExceeded)
        #expect(error?.message.hasPrefix("suspected gzip bomb: ") == true)
        #expect(error?.message.hasSuffix("(over 200:1, the limit)") == true)
    }

    @Test func outputOverTheAbsoluteCapFailsWhateverTheRatio() throws {
        let path = scratchPath(".gz")
        defer { unlink(path) }
        let sink = try GzipFileSink(path: path)
        try sink.write((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        try sink.close()
        var opened = try ByteSource.open(path: path, limits: InflateLimits(maxOutputBytes: 100_000))
        #expect(throws: ByteIOError(path: path, message: "suspected gzip bomb: it expands past 100000 bytes, the limit", kind: .limitExceeded)) {
            _ = try drain(&opened.stream)
        }
    }

    @Test func ordinaryCompressionPassesTheDefaultLimits() throws {
        let path = try newlineBomb(2 << 20)
        defer { unlink(path) }
        var opened = try ByteSource.open(path: path)
        #expect(try drain(&opened.stream, chunk: 1 << 16).count == 2 << 20)
        #expect(InflateLimits() == InflateLimits(maxOutputBytes: 32 << 30, maxRatio: 200, ratioGrace: 8 << 20))
    }
}
