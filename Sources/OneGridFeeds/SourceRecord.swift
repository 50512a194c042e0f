import OneGridCodecs
import OneGridModel

/// A value inside a tree-shaped record (an XML element or a JSON value).
///
/// XML elements become objects: attributes under `@name`, child elements under their local
/// name (repeated children repeat the key, in document order), and an element's own text
/// under `#text`; an element with text only and no attributes is just `.string`.
/// JSON numbers keep their source text so no precision is lost before a mapping parses them.
public indirect enum RecordValue: Sendable, Hashable {
    case null
    case string(String)
    case number(String)
    case bool(Bool)
    case array([RecordValue])
    case object([RecordMember])

    /// The scalar text of the value: a string, a number's text, `true`/`false`, an
    /// object's `#text`; nil for null, arrays and objects without text.
    public var text: String? {
        switch self {
        case .string(let s), .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .object(let members): return members.first { $0.key == "#text" }?.value.text
        case .null, .array: return nil
        }
    }

    /// Every value under a key of an object, in order; an array yields its elements' values.
    public func children(named key: String) -> [RecordValue] {
        switch self {
        case .object(let members): return members.compactMap { $0.key == key ? $0.value : nil }
        case .array(let items): return items.flatMap { $0.children(named: key) }
        default: return []
        }
    }
}

/// One key/value pair of an object value, kept in source order.
public struct RecordMember: Sendable, Hashable {
    public var key: String
    public var value: RecordValue

    public init(key: String, value: RecordValue) {
        self.key = key
        self.value = value
    }
}

/// One record as a reader yields it, with its position and the raw bytes it came from.
public struct SourceRecord: Sendable {
    /// The fields: a CSV row (cells in header order, text decoded) or a tree.
    public enum Content: Sendable {
        case row([String])
        case tree(RecordValue)
    }

    public var position: SourcePosition
    public var content: Content
    /// The record's bytes as stored in the file (a CSV record's lines, an XML element, a
    /// JSON line), kept for rejects and history.
    public var raw: [UInt8]

    public init(position: SourcePosition, content: Content, raw: [UInt8]) {
        self.position = position
        self.content = content
        self.raw = raw
    }
}

/// A record the reader could not turn into fields (bytes that do not decode, a line that is
/// not JSON, a row of the wrong shape, a record over a limit): it goes to the rejects with
/// its raw bytes (only the first `RecordLimits.keptRawBytes` of an oversize one); the file
/// goes on.
public struct UnreadableRecord: Sendable, Equatable {
    public var position: SourcePosition
    public var reason: ReadProblem
    public var raw: [UInt8]
    /// A CSV row's decoded cells when only its shape is wrong (`ragged_row`, `short_row`):
    /// a mapping's skip rules may still recognise it as a footer (`合计：1234条`) and skip it
    /// instead of rejecting it. Nil otherwise.
    public var cells: [String]?

    public init(position: SourcePosition, reason: ReadProblem, raw: [UInt8], cells: [String]? = nil) {
        self.position = position
        self.reason = reason
        self.raw = raw
        self.cells = cells
    }
}

/// Why a single record could not be read.
public enum ReadProblem: Sendable, Equatable, CustomStringConvertible {
    /// Bytes that are not valid in the file's encoding, at this absolute byte offset.
    case undecodableBytes(encoding: TextEncodingName, byteOffset: Int64)
    /// A JSON Lines line that is not one valid JSON value.
    case invalidJSON(message: String, column: Int)
    /// A CSV row with more cells than the header, whatever the surplus cells hold: a
    /// delimiter inside an unquoted value shifts every column after it.
    case raggedRow(expected: Int, found: Int)
    /// A CSV row with fewer cells than the header (and the feed does not pad short rows), or
    /// a short last row cut off by the end of the file whatever the policy.
    case shortRow(expected: Int, found: Int, cutOff: Bool)
    /// A CSV record whose quoted field is still open when the file ends: its last field ran
    /// to the end of the file, so it is rejected with its raw bytes rather than trusted.
    case unterminatedQuote
    /// A JSON Lines line that is valid JSON but not an object (`kind`: array, string, …).
    case notAnObject(kind: String)
    /// A JSON string holding U+0000 (escaped or raw) at this path: stores cut text at a NUL,
    /// so two keys `T\u0000A` and `T\u0000B` would become one.
    case nulInValue(path: String)
    /// A JSON object naming the same key twice, at this path: which one is meant is unknown.
    case duplicateKey(path: String)
    /// A record over one of the reader's limits (`RecordLimits`); `limit` says which.
    case recordTooLarge(limit: String)

    /// The reject reason of a record its reader could not read.
    public var rejectReason: RejectReason {
        switch self {
        case .undecodableBytes: return .undecodableBytes
        case .invalidJSON: return .invalidJSON
        case .raggedRow: return .raggedRow
        case .shortRow: return .shortRow
        case .unterminatedQuote: return .unterminatedQuote
        case .notAnObject: return .notAnObject
        case .nulInValue: return .nulInValue
        case .duplicateKey: return .duplicateKey
        case .recordTooLarge: return .recordTooLarge
        }
    }

    /// The stored code of `rejectReason` (spelled once, by `RejectReason`).
    public var code: String { rejectReason.code }

    public var description: String {
        switch self {
        case .undecodableBytes(let enc, let offset): return "bytes at offset \(offset) are not valid \(enc.rawValue)"
        case .invalidJSON(let message, let column): return "not valid JSON at column \(column): \(message)"
        case .raggedRow(let e, let f):
            return "row has \(f) cells, the header has \(e); a delimiter inside an unquoted value shifts every column after it"
        case .shortRow(let e, let f, let cutOff):
            return cutOff ? "the last row has \(f) cells, the header has \(e): the file is cut off inside it"
                          : "row has \(f) cells, the header has \(e)"
        case .unterminatedQuote: return "a quoted field is not closed before the end of the file"
        case .notAnObject(let kind): return "the line is JSON but not an object (it is \(kind))"
        case .nulInValue(let path): return "the value at \(path) holds a NUL character (U+0000)"
        case .duplicateKey(let path): return "the key \(path) appears twice in one object"
        case .recordTooLarge(let limit): return "the record is over the reader's limit: \(limit); only its first bytes are kept"
        }
    }
}

/// The encoding names a reader reports (mirrors `OneGridCodecs.TextEncoding`, kept here so
/// the model of read problems needs no codec import in its users).
public enum TextEncodingName: String, Sendable, Hashable, Codable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"
}

/// What a reader hands on: a record, one it could not read, or a row it passed over on
/// purpose (a blank line), counted as skipped so every file reconciles.
public enum ReadItem: Sendable {
    case record(SourceRecord)
    case unreadable(UnreadableRecord)
    case skipped(SourcePosition, reason: String)
}

/// Failures that end reading a file as a whole: nothing of it may be loaded.
public struct FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file cannot be opened or read, or its compression is damaged.
        case io
        /// The file is not in the declared format at all (binary, no header, not XML).
        case notThisFormat
        /// XML that is not well-formed, cut off, or refused as unsafe.
        case malformed
        /// The file's header lacks columns the mapping requires.
        case schemaDrift
        /// The path is not a regular file (FIFO, device, directory, a symlink not followed):
        /// skip it with this reason, never open it again as a feed.
        case notRegularFile
        /// The file changed (grew, shrank, was rewritten) while it was read: nothing of it
        /// may load; try it again later, when it is complete.
        case changedWhileRead
        /// Decompression went past its size or ratio limit (a suspected gzip bomb): fail the
        /// file and set it aside.
        case limitExceeded
    }

    public var kind: Kind
    public var position: SourcePosition
    public var message: String

    public init(kind: Kind, position: SourcePosition, message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }

    public var description: String { "\(position): \(message)" }

    /// A byte-layer failure as a file failure, its kind carried over.
    init(_ error: ByteIOError, at position: SourcePosition) {
        let kind: Kind
        switch error.kind {
        case .system: kind = .io
        case .notRegularFile: kind = .notRegularFile
        case .changedWhileRead: kind = .changedWhileRead
        case .limitExceeded: kind = .limitExceeded
        }
        self.init(kind: kind, position: position, message: error.message)
    }
}

/// The pull contract every format reader keeps: records one at a time, in file order.
public protocol FeedReader: AnyObject {
    /// The next item, or nil at the end of the file. Throws only when the file as a whole
    /// must be failed.
    func next() throws(FeedError) -> ReadItem?
    /// Column names in file order, for row-shaped formats (CSV); nil for trees.
    var header: [String]? { get }
    /// The encoding the reader decoded with, as detected or forced.
    var encoding: TextEncodingName { get }
    /// Whether the file was gzip-compressed.
    var isGzip: Bool { get }
    /// Bytes consumed from the file so far and its size on disk, for progress.
    var bytesConsumed: Int64 { get }
    var fileSize: Int64 { get }
    /// Short rows padded with empty cells so far (CSV with `shortRows: .pad`), for reports.
    var paddedRows: Int { get }
}

extension FeedReader {
    /// Only CSV rows have a width to pad to.
    public var paddedRows: Int { 0 }
}
