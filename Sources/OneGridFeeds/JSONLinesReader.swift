import OneGridCodecs
import OneGridModel

/// Reads a JSON Lines feed (plain or gzip): one JSON value a line.
///
/// Lines end with LF or CRLF and count from 1. A blank line (nothing but white space) is
/// `.skipped`. A line that is not valid UTF-8 is `.unreadable(.undecodableBytes)` with the
/// absolute offset of the bad byte; a line that is not one valid JSON value is
/// `.unreadable(.invalidJSON)` with the column of the fault. Either way the file goes on:
/// one bad line is a rejected record, not a failed file. Input is UTF-8 (RFC 8259); a
/// leading BOM is tolerated and skipped.
public final class JSONLinesReader: FeedReader {
    public let path: String
    public var header: [String]? { nil }
    public let encoding: TextEncodingName = .utf8
    /// Whether the file started with a UTF-8 byte order mark.
    public let hasByteOrderMark: Bool
    public let isGzip: Bool
    public let fileSize: Int64
    public var bytesConsumed: Int64 { stream.bytesConsumed }

    private var stream: any ByteStream
    private let parser: JSONParser
    private var buffer: [UInt8] = []
    private var pos = 0
    private var bufferStart: Int64
    private var atEnd = false
    private var line = 0
    private var ordinal = 0
    private var lineBytes: [UInt8] = []

    public convenience init(path: String, options: FeedReaderOptions = FeedReaderOptions()) throws(FeedError) {
        let file = try OpenedFile(path: path)
        try self.init(stream: file.stream, path: path, isGzip: file.isGzip, fileSize: file.size)
    }

    public init(stream: any ByteStream, path: String, isGzip: Bool = false, fileSize: Int64 = 0,
                parser: JSONParser = JSONParser()) throws(FeedError) {
        self.path = path
        self.isGzip = isGzip
        self.fileSize = fileSize
        self.parser = parser
        var source = stream
        let sample: [UInt8]
        do {
            sample = try readSample(from: &source, count: 3)
        } catch {
            throw FeedError(kind: .io, position: SourcePosition(file: path), message: error.message)
        }
        hasByteOrderMark = sample.starts(with: EncodingDetector.utf8BOM)
        let skip = hasByteOrderMark ? 3 : 0
        self.stream = PrefixedByteStream(prefix: Array(sample[skip...]), rest: source)
        bufferStart = Int64(skip)
    }

    /// The next line into `lineBytes` (terminator removed); its start offset, or nil at the end.
    private func readLine() throws(FeedError) -> Int64? {
        lineBytes.removeAll(keepingCapacity: true)
        var start: Int64?
        while true {
            if pos >= buffer.count {
                if atEnd { break }
                bufferStart += Int64(buffer.count)
                buffer.removeAll(keepingCapacity: true)
                pos = 0
                do {
                    if try stream.read(into: &buffer, maxCount: 64 * 1024) == 0 { atEnd = true; break }
                } catch {
                    throw FeedError(kind: .io, position: SourcePosition(file: path, byteOffset: bufferStart, line: line + 1),
                                    message: error.message)
                }
            }
            if start == nil { start = bufferStart + Int64(pos) }
            if let newline = buffer[pos...].firstIndex(of: 0x0A) {
                lineBytes.append(contentsOf: buffer[pos..<newline])
                pos = newline + 1
                break
            }
            lineBytes.append(contentsOf: buffer[pos...])
            pos = buffer.count
        }
        guard let start else { return nil }
        if lineBytes.last == 0x0D { lineBytes.removeLast() }
        line += 1
        return start
    }

    public func next() throws(FeedError) -> ReadItem? {
        guard let offset = try readLine() else { return nil }
        let lineNumber = line
        var position = SourcePosition(file: path, byteOffset: offset, line: lineNumber)
        if lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return .skipped(position, reason: "blank line")
        }
        ordinal += 1
        position.record = ordinal
        let raw = lineBytes
        return raw.withUnsafeBufferPointer { bytes -> ReadItem in
            if let bad = UTF8Validation.firstInvalidIndex(bytes) {
                return .unreadable(UnreadableRecord(position: position,
                    reason: .undecodableBytes(encoding: .utf8, byteOffset: offset + Int64(bad)), raw: raw))
            }
            do throws(JSONParseError) {
                let value = try parser.parse(bytes)
                return .record(SourceRecord(position: position, content: .tree(value), raw: raw))
            } catch {
                var at = position
                at.column = error.column
                return .unreadable(UnreadableRecord(position: at,
                    reason: .invalidJSON(message: error.message, column: error.column), raw: raw))
            }
        }
    }
}
