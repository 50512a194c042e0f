import OneGridCodecs
import OneGridModel

/// The formats the feed readers understand.
public enum FeedFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case csv
    case xml
    case jsonl
}

/// How to read one feed file; every field has a default that suits the departmental exports.
public struct FeedReaderOptions: Sendable, Equatable {
    /// Forces the text encoding instead of detecting it (CSV); for XML it overrides the
    /// declared encoding. JSON Lines is always UTF-8 (RFC 8259) and ignores it.
    public var encoding: TextEncodingName?
    /// CSV field separator: comma by default; tab is fine. Not `|` or `\` (see CSVByteReader).
    public var delimiter: UInt8
    /// XML: the path of local names from the root to a record element, e.g.
    /// `/XFExport/Petition`; `*` matches any name. Default: every child of the root.
    public var xmlRecordPath: String
    /// XML: local names of elements whose subtrees are skipped unread inside records
    /// (e.g. `Attachments`).
    public var skipElements: Set<String>
    /// CSV: what a row with fewer cells than the header is: `.reject` (`short_row`), or
    /// `.pad` to fill the missing trailing cells with "" for systems known to drop trailing
    /// empty cells (counted in `paddedRows`); with either, a short last row that the end of
    /// the file cut off is rejected. A rejected short row carries its cells, so a mapping's
    /// skip rules still recognise a footer (`合计：1234条`) and skip it.
    public var shortRows: ShortRowPolicy
    /// Per-record limits: a record over them is `record_too_large` and reading goes on.
    public var limits: RecordLimits
    /// XML: the encodings a declaration may name (compared without case or punctuation);
    /// any other fails the file. A document without a declaration is UTF-8.
    public var allowedXMLEncodings: [String]
    /// Follow a symbolic link named as the file (its target must be a regular file).
    public var followSymlinks: Bool
    /// How far a gzip file may expand.
    public var inflateLimits: InflateLimits

    public init(encoding: TextEncodingName? = nil, delimiter: UInt8 = UInt8(ascii: ","),
                xmlRecordPath: String = "/*/*", skipElements: Set<String> = [],
                shortRows: ShortRowPolicy = .reject, limits: RecordLimits = RecordLimits(),
                allowedXMLEncodings: [String] = FeedReaderOptions.feedEncodings,
                followSymlinks: Bool = false, inflateLimits: InflateLimits = InflateLimits()) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.xmlRecordPath = xmlRecordPath
        self.skipElements = skipElements
        self.shortRows = shortRows
        self.limits = limits
        self.allowedXMLEncodings = allowedXMLEncodings
        self.followSymlinks = followSymlinks
        self.inflateLimits = inflateLimits
    }

    /// The encodings the departmental feeds declare (docs/feeds.md), the readers' default.
    public static let feedEncodings = ["UTF-8", "GB2312", "GBK", "GB18030"]
}

/// What a CSV row with fewer cells than its header becomes.
public enum ShortRowPolicy: String, Sendable, Equatable, Codable {
    /// An unreadable record, `short_row`, carrying its cells.
    case reject
    /// Padded with empty cells to the header's width, and counted.
    case pad
}

/// Bounds on one record, so a hostile file cannot make a reader hold gigabytes: a record
/// over any of them becomes `record_too_large` with only its first `keptRawBytes` kept, the
/// rest is read past without being held, and reading goes on with the next record.
///
/// The defaults are far beyond what the exports hold (a hotline order is a few KiB, a
/// petition with fifty handling steps some tens of KiB, a patrol ticket under 10 KiB): a
/// 16 MiB record or a 1 MiB value is damage or an attack, never a real record. Attachments
/// skipped unread do not count.
public struct RecordLimits: Sendable, Equatable {
    /// Most bytes of one record as stored (a CSV record, a JSON line, an XML record's
    /// content): 16 MiB.
    public var recordBytes: Int
    /// Most bytes of one value (a CSV cell, a JSON string, an XML text or attribute): 1 MiB.
    public var valueBytes: Int
    /// Most members of one object or items of one array (JSON), or children of one element
    /// (XML, e.g. `<Step/>` under `<Handling>`): 10,000.
    public var repeatedItems: Int
    /// Bytes of an oversize record kept as its raw bytes for the reject: 4 KiB.
    public var keptRawBytes: Int

    public init(recordBytes: Int = 16 << 20, valueBytes: Int = 1 << 20, repeatedItems: Int = 10_000, keptRawBytes: Int = 4096) {
        self.recordBytes = recordBytes
        self.valueBytes = valueBytes
        self.repeatedItems = repeatedItems
        self.keptRawBytes = keptRawBytes
    }
}

/// Opens the right reader for a file.
public enum FeedReaders {
    /// A reader for `path` in `format`. Plain and gzip files are both accepted (recognised
    /// by their magic bytes, not their name).
    /// - Parameter tap: sees every byte read from the file as stored (compressed for gzip),
    ///   e.g. to hash exactly the bytes loaded.
    public static func open(path: String, format: FeedFormat,
                            options: FeedReaderOptions = FeedReaderOptions(), tap: ByteTap? = nil) throws(FeedError) -> any FeedFormatReader {
        try format.reader.init(path: path, options: options, tap: tap)
    }
}


/// A plain or gzip file opened for a reader, or the failure as a `FeedError`.
struct OpenedFile {
    var stream: any ByteStream
    var isGzip: Bool
    var size: Int64

    init(path: String, options: FeedReaderOptions, tap: ByteTap?) throws(FeedError) {
        do {
            let opened = try ByteSource.open(path: path, policy: FileOpenPolicy(followSymlinks: options.followSymlinks),
                                             limits: options.inflateLimits, tap: tap)
            stream = opened.stream
            isGzip = opened.gzip
            size = opened.size
        } catch {
            throw FeedError(error, at: SourcePosition(file: path))
        }
    }
}
