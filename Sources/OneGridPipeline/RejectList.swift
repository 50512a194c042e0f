import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// The rejects as `onegrid rejects` lists them: where, why, and the raw record, opened with
/// the key (only the key holder can read what the departments sent). Only standing rejects
/// are listed: not those a replay loaded, nor those of a load a reload superseded.
public struct RejectList {
    /// One reject with its raw record in the clear.
    public struct Entry: Sendable, Codable, Hashable {
        public var id: Int64
        public var feed: String
        public var file: String
        public var line: Int
        public var field: String?
        public var reason: RejectReason
        public var message: String
        public var raw: String
        /// A CSV record's cells by its file's header names (nil for XML and JSON Lines, or
        /// a record that cannot be split).
        public var cells: [String: String]?
        /// The file's header names, in file order (CSV only).
        public var header: [String]?

        /// The entry as the default PII level shows it: names in the name columns and the
        /// names the mapping reads from the record masked as names (in the cells and the raw
        /// record), identifiers in the message, the raw record and every cell masked, control
        /// characters escaped; the file name escaped.
        func masked(nameColumns: Set<String>, names: [String] = []) -> Entry {
            let mask = SourceValueMask.standard
            var e = self
            for (column, name) in cells ?? [:] where nameColumns.contains(column) && !name.isEmpty {
                let shown = mask.show(name, as: .personName)
                e.cells?[column] = shown
                e.raw = e.raw.replacingOccurrences(of: name, with: shown)
            }
            // Longest first, so a name inside another (王明 in 王明华) does not half-mask it.
            for name in names.sorted(by: { $0.count > $1.count }) {
                e.raw = e.raw.replacingOccurrences(of: name, with: mask.show(name, as: .personName))
            }
            e.file = PrintableText.escaped(file)
            e.message = mask.wholeText(message)
            e.raw = mask.wholeText(e.raw)
            e.cells = e.cells?.mapValues(mask.wholeText)
            return e
        }
    }

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Rejects filtered by feed, file name (suffix match) and reason code, oldest first.
    /// Raw records, cells and messages are shown through `SourceValueMask` unless `clear`
    /// (`--pii clear`, which only a key holder can ask: without the key nothing opens).
    /// `mappings`: by feed, the mapping whose party name rules find the names in a record (CSV
    /// name columns, XML elements, JSON paths), masked as names when not `clear`.
    public func entries(feed: String? = nil, file: String? = nil, reason: RejectReason? = nil, limit: Int? = 50,
                        clear: Bool = false, mappings: [String: Mapping] = [:]) throws -> [Entry] {
        let sealer = RecordSealer(key: workspace.key)
        let stored = try StoredReject.standing(in: workspace.warehouse, sealer: sealer, feed: feed, file: file,
                                               reason: reason, limit: limit)
        return stored.map { r in
            var entry = Entry(id: r.id, feed: r.feed, file: r.file, line: r.position.line, field: r.field, reason: r.reason,
                              message: r.message, raw: r.raw.isEmpty ? "<cannot open: wrong key>" : r.rawText)
            var names: [String] = []
            if r.headerRaw != nil, case (.record(let record)?, let header?) = r.reread(format: .csv, options: FeedReaderOptions()),
               case .row(let cells) = record.content {
                entry.header = header
                entry.cells = Dictionary(zip(header, cells), uniquingKeysWith: { a, _ in a })
                if !clear, let mapping = mappings[r.feed], let mapper = try? RecordMapper(mapping: mapping, header: header, file: r.file) {
                    names = mapper.personNames(in: record)
                }
            } else if !clear, let mapping = mappings[r.feed], mapping.format.addressing == .paths,
                      case (.record(let record)?, _) = r.reread(format: mapping.format, options: mapping.readOptions),
                      let mapper = try? RecordMapper(mapping: mapping, header: nil, file: r.file) {
                names = mapper.personNames(in: record)
            }
            return clear ? entry : entry.masked(nameColumns: mappings[r.feed]?.personNameColumns ?? [], names: names)
        }
    }
}

/// The rejects as a sheet for correction and re-submission: the reject's file, line,
/// reason, field and message, then the CSV columns of the feed's files (the union of their
/// headers by name, in first-seen order) holding each record's cells, then `raw_record`
/// for records that are not CSV rows (XML, JSON Lines, rows that cannot be split).
/// Corrected rows saved as a CSV file and dropped into the inbox load like any delivery:
/// the mapping ignores the `reject_*` and `raw_record` columns.
public enum RejectSheet {
    public static let leadingColumns = ["reject_file", "reject_line", "reject_reason", "reject_field", "reject_message"]

    public static func table(_ entries: [Entry]) -> (columns: [String], rows: [[String]]) {
        var sourceColumns: [String] = []
        for e in entries {
            for name in e.header ?? [] where !sourceColumns.contains(name) { sourceColumns.append(name) }
        }
        let columns = leadingColumns + sourceColumns + ["raw_record"]
        let rows = entries.map { e -> [String] in
            [(e.file as NSString).lastPathComponent, "\(e.line)", e.reason.code, e.field ?? "", e.message]
                + sourceColumns.map { e.cells?[$0] ?? "" }
                + [e.cells == nil ? e.raw : ""]
        }
        return (columns, rows)
    }

    public typealias Entry = RejectList.Entry
}
