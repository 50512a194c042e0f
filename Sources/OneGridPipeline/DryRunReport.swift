import Foundation
import OneGridModel

/// What a dry-run found: everything an import would do, nothing written.
///
/// Its JSON form (`onegrid dry-run --format json`) is a stable shape documented in
/// Mappings/README.md: snake_case keys, every key always present (null when empty), lists
/// in a fixed order. `report_version` changes whenever a key is removed or renamed.
public struct DryRunReport: Sendable, Encodable {
    /// The version of the JSON shape.
    public static let version = 1

    /// One file's findings.
    public struct FileReport: Sendable, Encodable {
        public var path: String
        public var encoding: String?
        public var gzip: Bool
        public var counts: FileCounts
        /// Why the whole file would fail (nothing of it loaded), nil when it would load.
        public var failure: String?
        /// Columns (csv) or paths (xml, jsonl) the mapping names that the file lacks.
        public var missingSources: [String]
        /// Header columns (csv) or fields present in records (xml, jsonl) no rule reads;
        /// tree fields come most frequent first.
        public var unusedSources: [String]
        /// Short rows the reader padded with empty cells (`schema: {short_rows: pad}`): each
        /// is counted in `counts` as what it became, and listed here so padding is never silent.
        public var paddedRows = 0

        enum CodingKeys: String, CodingKey {
            case path, encoding, gzip, counts, failure
            case missingSources = "missing_sources", unusedSources = "unused_sources", paddedRows = "padded_rows"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(encoding, forKey: .encoding)
            try c.encode(gzip, forKey: .gzip)
            try c.encode(counts, forKey: .counts)
            try c.encode(failure, forKey: .failure)
            try c.encode(missingSources, forKey: .missingSources)
            try c.encode(unusedSources, forKey: .unusedSources)
            try c.encode(paddedRows, forKey: .paddedRows)
        }
    }

    /// A reject reason with its count and first examples.
    public struct RejectGroup: Sendable, Encodable {
        public var reason: String
        public var count: Int
        public var examples: [Example]
    }

    /// Where a reject happened and what it held (identifiers masked).
    public struct Example: Sendable, Encodable {
        public var file: String
        /// Line of the record in the file, from 1.
        public var line: Int
        /// The column or path whose value failed, nil when the record as a whole failed.
        public var field: String?
        /// The failing value, nil when the record as a whole failed.
        public var value: String?
        public var message: String
        /// The start of the raw record (160 bytes at most).
        public var record: String

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try c.encode(line, forKey: .line)
            try c.encode(field, forKey: .field)
            try c.encode(value, forKey: .value)
            try c.encode(message, forKey: .message)
            try c.encode(record, forKey: .record)
        }

        enum CodingKeys: String, CodingKey { case file, line, field, value, message, record }
    }

    /// A row passed over on purpose, by reason.
    public struct SkipGroup: Sendable, Encodable {
        public var reason: String
        public var count: Int
    }

    /// How often a unified field is filled.
    public struct CoverageEntry: Sendable, Encodable {
        public var field: String
        /// Whether the mapping has a rule for this field.
        public var mapped: Bool
        /// Events where it is filled.
        public var filled: Int
        /// `filled` over mapped events, 0…1.
        public var share: Double
    }

    /// A value missing from a value map or crosswalk.
    public struct UnmappedValue: Sendable, Encodable {
        public var field: String
        public var value: String
        public var count: Int
    }

    /// Values dropped under `on_error: drop_value` (the record kept without them), by field
    /// and reason, with the first examples.
    public struct DroppedValue: Sendable, Encodable {
        public var field: String
        public var reason: String
        public var count: Int
        public var examples: [DroppedExample]
    }

    /// Where a value was dropped and what it was (masked as reject examples are).
    public struct DroppedExample: Sendable, Encodable {
        public var file: String
        /// Line of the record in the file, from 1.
        public var line: Int
        public var value: String?
        public var message: String

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try c.encode(line, forKey: .line)
            try c.encode(value, forKey: .value)
            try c.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case file, line, value, message }
    }

    /// A place text that matched neither the standard addresses, the grids nor a division,
    /// with how many events gave it.
    public struct UnmatchedPlace: Sendable, Encodable {
        public var place: String
        public var count: Int
    }

    /// How many places were tied to a grid or address one way.
    public struct PlaceMatch: Sendable, Encodable {
        public var method: String
        public var count: Int
        public var share: Double
    }

    /// One fully mapped record, people masked.
    public struct Sample: Sendable, Encodable {
        public var sourceKey: String
        public var reportedAt: String?
        public var category: String?
        public var status: String?
        public var title: String?
        public var place: String?
        public var grid: String?
        public var match: String
        public var people: String
        public var steps: String

        enum CodingKeys: String, CodingKey {
            case sourceKey = "source_key", reportedAt = "reported_at", category, status, title, place, grid, match, people, steps
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(sourceKey, forKey: .sourceKey)
            try c.encode(reportedAt, forKey: .reportedAt)
            try c.encode(category, forKey: .category)
            try c.encode(status, forKey: .status)
            try c.encode(title, forKey: .title)
            try c.encode(place, forKey: .place)
            try c.encode(grid, forKey: .grid)
            try c.encode(match, forKey: .match)
            try c.encode(people, forKey: .people)
            try c.encode(steps, forKey: .steps)
        }
    }

    public var feed: String
    public var format: String
    public var mappingPath: String
    public var mappingHash: String
    /// `--limit`: records read per file at most.
    public var limit: Int?
    public var files: [FileReport] = []
    public var totals = FileCounts()
    /// Records that became events (the denominator of shares).
    public var events = 0
    public var rejects: [RejectGroup] = []
    public var skips: [SkipGroup] = []
    public var coverage: [CoverageEntry] = []
    public var unmappedValues: [UnmappedValue] = []
    /// Values dropped under `on_error: drop_value`, most frequent first.
    public var droppedValues: [DroppedValue] = []
    public var placeMatches: [PlaceMatch] = []
    /// Share of events whose place found no grid, 0…1.
    public var noGridShare: Double = 0
    /// The most frequent place texts that matched nothing (method `none`), most frequent first.
    public var unmatchedPlaces: [UnmatchedPlace] = []
    /// Events with an unmatched place text not in `unmatchedPlaces` (past the list's length).
    public var unmatchedPlacesOther = 0
    public var samples: [Sample] = []

    public init(feed: String, format: String, mappingPath: String, mappingHash: String, limit: Int?) {
        self.feed = feed
        self.format = format
        self.mappingPath = mappingPath
        self.mappingHash = mappingHash
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case reportVersion = "report_version", feed, format, mapping, limit, files, totals, events, rejects, skips, coverage
        case unmappedValues = "unmapped_values", placeMatches = "place_matches", noGridShare = "no_grid_share", samples
        case droppedValues = "dropped_values", unmatchedPlaces = "unmatched_places", unmatchedPlacesOther = "unmatched_places_other"
    }

    enum MappingKeys: String, CodingKey { case path, hash }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.version, forKey: .reportVersion)
        try c.encode(feed, forKey: .feed)
        try c.encode(format, forKey: .format)
        var m = c.nestedContainer(keyedBy: MappingKeys.self, forKey: .mapping)
        try m.encode(mappingPath, forKey: .path)
        try m.encode(mappingHash, forKey: .hash)
        try c.encode(limit, forKey: .limit)
        try c.encode(files, forKey: .files)
        try c.encode(totals, forKey: .totals)
        try c.encode(events, forKey: .events)
        try c.encode(rejects, forKey: .rejects)
        try c.encode(skips, forKey: .skips)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(unmappedValues, forKey: .unmappedValues)
        try c.encode(droppedValues, forKey: .droppedValues)
        try c.encode(placeMatches, forKey: .placeMatches)
        try c.encode(noGridShare, forKey: .noGridShare)
        try c.encode(unmatchedPlaces, forKey: .unmatchedPlaces)
        try c.encode(unmatchedPlacesOther, forKey: .unmatchedPlacesOther)
        try c.encode(samples, forKey: .samples)
    }
}

extension DryRunReport {
    /// The terminal lines for dropped values and unmatched places, in `DryRunText`'s style
    /// (unescaped: the renderer escapes every line). Empty sections give no line.
    public var findingLines: [String] {
        var out: [String] = []
        if !droppedValues.isEmpty {
            out.append("values dropped (on_error: drop_value; the records kept without them):")
            for d in droppedValues {
                out.append("  \(d.field) \(d.reason): \(d.count)")
                for e in d.examples {
                    out.append("    \((e.file as NSString).lastPathComponent):\(e.line)\(e.value.map { " value '\($0)'" } ?? ""): \(e.message)")
                }
            }
        }
        if !unmatchedPlaces.isEmpty {
            out.append("places that matched nothing, most frequent first:")
            for p in unmatchedPlaces { out.append("  '\(p.place)' × \(p.count)") }
            if unmatchedPlacesOther > 0 { out.append("  … and \(unmatchedPlacesOther) more events with other places") }
        }
        return out
    }
}
