import OneGridCodecs
import Testing
#if canImport(Glibc)
import Glibc
#endif

private func tempPath(_ suffix: String) -> String {
    "/tmp/onegrid-codecs-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))\(suffix)"
}

private func gzipFile(_ bytes: [UInt8]) throws -> String {
    let path = tempPath(".gz")
    let sink = try GzipFileSink(path: path)
    try sink.write(bytes)
    try sink.close()
    return path
}

private func readAll(_ stream: inout any ByteStream, chunk: Int = 4096) throws -> [UInt8] {
    var out: [UInt8] = []
    while try stream.read(into: &out, maxCount: chunk) > 0 {}
    return out
}

@Suite("Byte codecs")
struct CodecsTests {
    let sample: [UInt8] = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }

    @Test func gzipRoundTrip() throws {
        let path = try gzipFile(sample)
        defer { unlink(path) }
        var opened = try ByteSource.open(path: path)
        #expect(opened.gzip)
        #expect(try readAll(&opened.stream) == sample)
    }

    @Test func plainFileIsNotGzip() throws {
        let path = tempPath(".txt")
        defer { unlink(path) }
        let sink = try FileByteSink(path: path)
        try sink.write("plain text")
        try sink.close()
        var opened = try ByteSource.open(path: path)
        #expect(!opened.gzip)
        #expect(opened.size == 10)
        #expect(try readAll(&opened.stream, chunk: 3) == Array("plain text".utf8))
    }

    @Test func fileSinkKeepsOrderWhenLargeWritesSkipTheBuffer() throws {
        let path = tempPath(".bin")
        defer { unlink(path) }
        let sink = try FileByteSink(path: path, capacity: 1024)
        try sink.write(Array(sample[0..<100]))         // buffered
        try sink.write(Array(sample[100..<5000]))      // appended after the buffered bytes
        try sink.write(Array(sample[5000..<100_000]))  // nothing buffered: straight to the file
        try sink.write(Array(sample[100_000...]))
        try sink.close()
        var opened = try ByteSource.open(path: path)
        #expect(try readAll(&opened.stream) == sample)
        #expect(sink.bytesWritten == Int64(sample.count))
    }

    @Test func concatenatedMembersReadAsOneStream() throws {
        let first = try gzipFile(Array("first member\n".utf8))
        let second = try gzipFile(Array("second member\n".utf8))
        defer { unlink(first); unlink(second) }
        let joined = try FileByteStream.prefix(of: first, count: 1 << 20) + FileByteStream.prefix(of: second, count: 1 << 20)
        let path = tempPath(".gz")
        defer { unlink(path) }
        let sink = try FileByteSink(path: path)
        try sink.write(joined)
        try sink.close()
        var opened = try ByteSource.open(path: path)
        #expect(try readAll(&opened.stream, chunk: 5) == Array("first member\nsecond member\n".utf8))
    }

    @Test func truncatedGzipIsAnError() throws {
        let full = try gzipFile(sample)
        defer { unlink(full) }
        let bytes = try FileByteStream.prefix(of: full, count: 1 << 22)
        let path = tempPath(".gz")
        defer { unlink(path) }
        let sink = try FileByteSink(path: path)
        try sink.write(bytes.dropLast(bytes.count / 2))
        try sink.close()
        var opened = try ByteSource.open(path: path)
        #expect(throws: ByteIOError(path: path, message: "gzip stream is truncated")) {
            _ = try readAll(&opened.stream)
        }
    }

    @Test func corruptGzipIsAnError() throws {
        let path = tempPath(".gz")
        defer { unlink(path) }
        let sink = try FileByteSink(path: path)
        try sink.write([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0xFF, 0xFF, 0xFF, 0xFF])
        try sink.close()
        var opened = try ByteSource.open(path: path)
        let error = #expect(throws: ByteIOError.self) { _ = try readAll(&opened.stream) }
        #expect(error?.message.hasPrefix("gzip data is corrupt") == true)
    }

    @Test func transcoderRoundTripsChinese() throws {
        let text = Array("雄州街道桥西社区 镕 😀".utf8)
        let gb = try Transcoder(from: .utf8, to: .gb18030).convert(text)
        #expect(gb.prefix(4) == [0xD0, 0xDB, 0xD6, 0xDD])
        #expect(try Transcoder(from: .gb18030, to: .utf8).convert(gb) == text)
    }

    @Test func transcoderReportsTheOffsetOfTheBadByte() throws {
        let transcoder = Transcoder(from: .gb18030, to: .utf8)
        #expect((#expect(throws: TranscodeError.self) { try transcoder.convert([0xD0, 0xDB, 0x41, 0x42, 0xFF, 0x43]) })?.offset == 4)
        // Reused after a failure, the handle starts clean.
        #expect(try transcoder.convert([0xD0, 0xDB]) == Array("雄".utf8))
        #expect((#expect(throws: TranscodeError.self) { try transcoder.convert([0x41, 0x42, 0xD0]) })?.offset == 2)
    }

    @Test func transcoderOffsetPastTheFirstOutputChunk() throws {
        var input = [UInt8](repeating: 0x41, count: 10_000)
        input += [0x81, 0x20]
        #expect((#expect(throws: TranscodeError.self) { try Transcoder(from: .gb18030, to: .utf8).convert(input) })?.offset == 10_000)
    }

    @Test func encodingNames() {
        #expect(TextEncoding(name: "GB2312") == .gb18030)
        #expect(TextEncoding(name: "gbk") == .gb18030)
        #expect(TextEncoding(name: "UTF-8") == .utf8)
        #expect(TextEncoding(name: "latin1") == nil)
    }
}
