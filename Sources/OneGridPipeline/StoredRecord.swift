import Foundation
import OneGridCodecs
import OneGridFeeds
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// A reject as stored, with what it takes to read its raw record again: the opened raw
/// bytes, the file's format facts (encoding, CSV header record) and the original position.
public struct StoredReject: Sendable {
    public var id: Int64
    public var sourceFileID: Int64
    public var feed: String
    public var file: String
    public var exportDate: String?
    public var position: SourcePosition
    public var reason: RejectReason
    public var field: String?
    public var message: String
    /// The record's bytes as they were in the file (its encoding, no line break).
    public var raw: [UInt8]
    /// The file's CSV header record as stored in the file; nil for XML and JSON Lines.
    public var headerRaw: [UInt8]?
    public var encoding: TextEncodingName?

    /// The rejects still standing (not replayed, of each file's latest load), oldest first.
    static func standing(in warehouse: Warehouse, sealer: RecordSealer, feed: String? = nil, file: String? = nil,
                         reason: RejectReason? = nil, limit: Int? = nil) throws -> [StoredReject] {
        try warehouse.standingRejects(feed: feed, file: file, reason: reason, limit: limit).map { r in
            StoredReject(id: r.id, sourceFileID: r.sourceFileID, feed: r.feed, file: r.path, exportDate: r.exportDate,
                         position: SourcePosition(file: r.path, byteOffset: r.byteOffset, line: r.line, record: r.recordOrdinal,
                                                  field: r.field),
                         reason: r.reason, field: r.field, message: r.message, raw: (try? sealer.open(Array(r.sealedRaw))) ?? [],
                         headerRaw: r.headerRaw.map { Array($0) }, encoding: r.encoding.flatMap(TextEncodingName.init(rawValue:)))
        }
    }

    /// The raw record decoded as text in its file's encoding.
    public var rawText: String { RawRecordText.decode(raw, encoding: encoding?.rawValue) }

    /// Reads the raw record again as its reader would have (`FeedFormatReader.rereading`:
    /// a CSV record under its file's header, a JSON line, an XML element in its record path).
    /// The record keeps its original position.
    public func reread(format: FeedFormat, options: FeedReaderOptions) -> (item: ReadItem?, header: [String]?) {
        do {
            guard let reader = try format.reader.rereading(raw: raw, context: headerRaw, encoding: encoding, path: file,
                                                           options: options) else { return (nil, nil) }
            while let item = try reader.next() {
                switch item {
                case .skipped: continue
                case .record(var record):
                    record.position = position
                    return (.record(record), reader.header)
                case .unreadable(var bad):
                    bad.position = position.with(field: bad.position.field)
                    return (.unreadable(bad), reader.header)
                }
            }
            return (nil, reader.header)
        } catch {
            return (nil, nil)
        }
    }
}
