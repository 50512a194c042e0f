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

    public init(encoding: TextEncodingName? = nil, delimiter: UInt8 = UInt8(ascii: ","),
                xmlRecordPath: String = "/*/*", skipElements: Set<String> = []) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.xmlRecordPath = xmlRecordPath
        self.skipElements = skipElements
    }
}

/// Opens the right reader for a file.
public enum FeedReaders {
    /// A reader for `path` in `format`. Plain and gzip files are both accepted (recognised
    /// by their magic bytes, not their name).
    public static func open(path: String, format: FeedFormat,
                            options: FeedReaderOptions = FeedReaderOptions()) throws(FeedError) -> any FeedReader {
        switch format {
        case .csv: return try CSVFeedReader(path: path, options: options)
        case .xml: return try XMLRecordReader(path: path, options: options)
        case .jsonl: return try JSONLinesReader(path: path, options: options)
        }
    }
}


/// A plain or gzip file opened for a reader, or the failure as a `FeedError`.
struct OpenedFile {
    var stream: any ByteStream
    var isGzip: Bool
    var size: Int64

    init(path: String) throws(FeedError) {
        do {
            let opened = try ByteSource.open(path: path)
            stream = opened.stream
            isGzip = opened.gzip
            size = opened.size
        } catch {
            throw FeedError(kind: .io, position: SourcePosition(file: path), message: error.message)
        }
    }
}
