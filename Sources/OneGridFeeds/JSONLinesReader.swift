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
///
/// Valid JSON is still refused when a feed cannot trust it: a line that is not an object
/// (`.notAnObject`: an array of tickets would otherwise load its first and drop the rest),
/// a key twice in one object at any depth (`.duplicateKey`), U+0000 in a string
/// (`.nulInValue`), and a line over `RecordLimits` (`.recordTooLarge`: only its first
/// bytes are held, the rest is read past up to the next line break).
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
    /// The line being read went past `limits.recordBytes`: `lineBytes` holds its first bytes.
    private var lineTooLong = false
    private let limits: RecordLimits

    public convenience init(path: String, options: FeedReaderOptions = FeedReaderOptions(), tap: ByteTap? = nil) throws(FeedError) {
        let file = try OpenedFile(path: path, options: options, tap: tap)
        try self.init(stream: file.stream, path: path, isGzip: file.isGzip, fileSize: file.size, limits: options.limits)
    }

    /// - Parameter parser: nil for the default one within `limits` (values, items).
    public init(stream: any ByteStream, path: String, isGzip: Bool = false, fileSize: Int64 = 0,
                limits: RecordLimits = RecordLimits(), parser: JSONParser? = nil) throws(FeedError) {
        self.path = path
        self.isGzip = isGzip
        self.fileSize = fileSize
        self.limits = limits
        self.parser = parser ?? JSONParser(maxStringBytes: limits.valueBytes, maxItems: limits.repeatedItems)
        var source = stream
        let sample: [UInt8]
        do {
            sample = try readSample(from: &source, count: 3)
        } catch {
            throw FeedError(error, at: SourcePosition(file: path))
        }
        hasByteOrderMark = sample.starts(with: EncodingDetector.utf8BOM)
        let skip = hasByteOrderMark ? 3 : 0
        self.stream = PrefixedByteStream(prefix: Array(sample[skip...]), rest: source)
        bufferStart = Int64(skip)
    }

    /// The next line into `lineBytes` (terminator removed); its start offset, or nil at the end.
    private func readLine() throws(FeedError) -> Int64? {
        lineBytes.removeAll(keepingCapacity: true)
        lineTooLong = false
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
                    throw FeedError(error, at: SourcePosition(file: path, byteOffset: bufferStart, line: line + 1))
                }
            }
            if start == nil { start = bufferStart + Int64(pos) }
            if let newline = buffer[pos...].firstIndex(of: 0x0A) {
                keep(buffer[pos..<newline])
                pos = newline + 1
                break
            }
            keep(buffer[pos...])
            pos = buffer.count
        }
        guard let start else { return nil }
        if lineBytes.last == 0x0D && !lineTooLong { lineBytes.removeLast() }
        line += 1
        return start
    }

    /// Appends a piece of the current line, holding at most `recordBytes` of it, and only
    /// the first `keptRawBytes` once the line is known to be too long.
    private func keep(_ bytes: ArraySlice<UInt8>) {
        if !lineTooLong && lineBytes.count + bytes.count > limits.recordBytes {
            lineTooLong = true
            if lineBytes.count > limits.keptRawBytes { lineBytes.removeSubrange(limits.keptRawBytes...) }
        }
        if !lineTooLong {
            lineBytes.append(contentsOf: bytes)
        } else if lineBytes.count < limits.keptRawBytes {
            lineBytes.append(contentsOf: bytes.prefix(limits.keptRawBytes - lineBytes.count))
        }
    }

    public func next() throws(FeedError) -> ReadItem? {
        guard let offset = try readLine() else { return nil }
        let lineNumber = line
        var position = SourcePosition(file: path, byteOffset: offset, line: lineNumber)
        if !lineTooLong && lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return .skipped(position, reason: "blank line")
        }
        ordinal += 1
        position.record = ordinal
        let raw = lineBytes
        if lineTooLong {
            return .unreadable(UnreadableRecord(position: position,
                reason: .recordTooLarge(limit: "a line over \(limits.recordBytes) bytes"), raw: raw))
        }
        return raw.withUnsafeBufferPointer { bytes -> ReadItem in
            if let bad = UTF8Validation.firstInvalidIndex(bytes) {
                return .unreadable(UnreadableRecord(position: position,
                    reason: .undecodableBytes(encoding: .utf8, byteOffset: offset + Int64(bad)), raw: raw))
            }
            do throws(JSONParseError) {
                let value = try parser.parse(bytes)
                if let kind = Self.nonObjectKind(value) {
                    return .unreadable(UnreadableRecord(position: position, reason: .notAnObject(kind: kind), raw: raw))
                }
                return .record(SourceRecord(position: position, content: .tree(value), raw: raw))
            } catch {
                var at = position
                at.column = error.column
                let reason: ReadProblem
                switch error.content {
                case nil: reason = .invalidJSON(message: error.message, column: error.column)
                case .duplicateKey?: reason = .duplicateKey(path: error.pathText)
                case .nul?: reason = .nulInValue(path: error.pathText)
                case .tooLarge(let limit)?: reason = .recordTooLarge(limit: error.path.isEmpty ? limit : "\(limit) at \(error.pathText)")
                }
                if error.content != nil { at.field = error.pathText.isEmpty ? nil : error.pathText }
                if case .recordTooLarge = reason {
                    return .unreadable(UnreadableRecord(position: at, reason: reason, raw: Array(raw.prefix(limits.keptRawBytes))))
                }
                return .unreadable(UnreadableRecord(position: at, reason: reason, raw: raw))
            }
        }
    }

    /// What a top-level value is in words, or nil for an object.
    static func nonObjectKind(_ value: RecordValue) -> String? {
        switch value {
        case .object: return nil
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "true or false"
        case .null: return "null"
        }
    }
}
