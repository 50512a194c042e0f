import OneGridCodecs
import OneGridModel

/// What a format's reader knows beyond the pull contract, so that no caller switches on
/// formats or casts to a reader: how a file opens, which bytes of a file a stored record
/// needs to be read again on its own, and how one stored record is read again as its file
/// would have read it. `FeedFormat.reader` names the reader of each format.
///
/// Adding a format: a reader class keeping `FeedReader` and this protocol, a case in
/// `FeedFormat`, and its line in `FeedFormat.reader`.
/// How a mapping names the values of a format's records.
public enum FieldAddressing: Sendable, Equatable {
    /// Rows of named cells: `column`, `columns` aliases, numbered groups, short-row policy.
    case columns
    /// Trees: `path` (with positions), repeated groups by `each`, `item` picks.
    case paths
}

public protocol FeedFormatReader: FeedReader {
    /// How a mapping names this format's values: what `mapping check` accepts for it.
    static var addressing: FieldAddressing { get }

    /// A reader of a plain or gzip file.
    /// - Parameter tap: sees every byte read from the file as stored (compressed for gzip).
    init(path: String, options: FeedReaderOptions, tap: ByteTap?) throws(FeedError)

    /// Bytes of the file, besides a record's own, that reading one record again needs (the
    /// CSV header record, so cells land in the same columns); nil when a record stands alone.
    /// Stored with the file's ledger entry.
    var recordContext: [UInt8]? { get }

    /// A reader over one stored record: `raw` as it was in the file (no line break), with its
    /// file's `context` (`recordContext`) and encoding. Nil when the record cannot be read
    /// again because the context it needs was not kept.
    static func rereading(raw: [UInt8], context: [UInt8]?, encoding: TextEncodingName?, path: String,
                          options: FeedReaderOptions) throws(FeedError) -> (any FeedReader)?
}

extension FeedFormat {
    /// The reader of this format: the one switch over formats the readers, the importer and
    /// the stored records share.
    public var reader: any FeedFormatReader.Type {
        switch self {
        case .csv: return CSVFeedReader.self
        case .xml: return XMLRecordReader.self
        case .jsonl: return JSONLinesReader.self
        }
    }

    /// How a mapping names this format's values (its reader's `addressing`).
    public var addressing: FieldAddressing { reader.addressing }
}

extension CSVFeedReader: FeedFormatReader {
    public static var addressing: FieldAddressing { .columns }

    /// The header record as stored in the file.
    public var recordContext: [UInt8]? { headerRaw }

    /// The header record, then the record, in the file's encoding: a row needs its header.
    public static func rereading(raw: [UInt8], context: [UInt8]?, encoding: TextEncodingName?, path: String,
                                 options: FeedReaderOptions) throws(FeedError) -> (any FeedReader)? {
        guard let context else { return nil }
        var options = options
        options.encoding = encoding ?? options.encoding
        return try CSVFeedReader(stream: MemoryByteStream(context + [0x0A] + raw + [0x0A]), path: path, options: options)
    }
}

extension JSONLinesReader: FeedFormatReader {
    public static var addressing: FieldAddressing { .paths }

    /// A JSON line stands alone.
    public var recordContext: [UInt8]? { nil }

    public static func rereading(raw: [UInt8], context: [UInt8]?, encoding: TextEncodingName?, path: String,
                                 options: FeedReaderOptions) throws(FeedError) -> (any FeedReader)? {
        try JSONLinesReader(stream: MemoryByteStream(raw + [0x0A]), path: path, limits: options.limits)
    }
}

extension XMLRecordReader: FeedFormatReader {
    public static var addressing: FieldAddressing { .paths }

    /// A record element stands alone once wrapped in its record path.
    public var recordContext: [UInt8]? { nil }

    /// The record element (kept as UTF-8) wrapped in the elements of the record path, a `*`
    /// step becoming `<records>`.
    public static func rereading(raw: [UInt8], context: [UInt8]?, encoding: TextEncodingName?, path: String,
                                 options: FeedReaderOptions) throws(FeedError) -> (any FeedReader)? {
        var options = options
        options.encoding = .utf8
        let names = options.xmlRecordPath.split(separator: "/").dropLast().map { $0 == "*" ? "records" : String($0) }
        let open = names.map { "<\($0)>" }.joined(), close = names.reversed().map { "</\($0)>" }.joined()
        return try XMLRecordReader(stream: MemoryByteStream(Array(open.utf8) + raw + Array(close.utf8)), path: path, options: options)
    }
}
