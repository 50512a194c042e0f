import OneGridFeeds

/// Which fields the records of an xml or jsonl file carry, against the paths a mapping
/// reads: the tree-feed counterpart of a CSV header report. It finds the fields the
/// mapping never uses and the paths it names that no record had.
///
/// A field is identified by its path of keys from the record's root (array items share
/// their array's path; an element's own text `#text` counts as the element).
public struct SourceFieldUsage: Sendable {
    /// Path → number of records holding a non-empty value there.
    public private(set) var seen: [[String]: Int] = [:]
    public private(set) var records = 0

    public init() {}

    /// Notes the fields of one record (CSV rows are ignored: their header says it all).
    public mutating func observe(_ record: SourceRecord) {
        guard case .tree(let tree) = record.content else { return }
        records += 1
        var paths = Set<[String]>()
        Self.collect(tree, prefix: [], into: &paths)
        for p in paths { seen[p, default: 0] += 1 }
    }

    static func collect(_ value: RecordValue, prefix: [String], into paths: inout Set<[String]>) {
        switch value {
        case .null:
            return
        case .string(let s), .number(let s):
            if !s.isEmpty, !prefix.isEmpty { paths.insert(prefix) }
        case .bool:
            if !prefix.isEmpty { paths.insert(prefix) }
        case .array(let items):
            for item in items { collect(item, prefix: prefix, into: &paths) }
        case .object(let members):
            for m in members {
                collect(m.value, prefix: m.key == "#text" ? prefix : prefix + [m.key], into: &paths)
            }
        }
    }

    /// Fields present in the records that no path of the mapping reads (nor lies under),
    /// with how many records held them, most frequent first.
    public func unused(by mapping: Mapping) -> [(path: String, records: Int)] {
        let used = mapping.sourcePaths
        return seen.filter { path, _ in
            !used.contains { u in path.starts(with: u) }
        }
        .map { (mapping.pathText($0.key), $0.value) }
        .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    /// Paths the mapping reads that no record held (nothing at them, nor under them).
    public func missing(from mapping: Mapping) -> [String] {
        guard records > 0 else { return [] }
        return mapping.sourcePaths.filter { u in !seen.keys.contains { $0.starts(with: u) } }
            .map(mapping.pathText)
    }
}
