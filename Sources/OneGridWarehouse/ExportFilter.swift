import GRDB
import OneGridModel

/// Which rows an export keeps. Every field is optional; an unset field keeps everything.
/// A division code selects its whole subtree (grid codes begin with their community's
/// code, community codes with their street's, street codes with their district's), and a
/// category code selects itself and its subcodes (`HB` keeps `HB.01` and `HB.01.02`).
/// Each table applies the filters that make sense for it and the manifest lists which.
/// It lives beside the table readers, which turn it into SQL conditions (`clause`).
public struct ExportFilter: Sendable, Hashable, Codable {
    /// Keep events reported at or after this instant.
    public var since: Timestamp?
    /// Keep events reported before this instant (exclusive).
    public var until: Timestamp?
    public var district: String?
    public var street: String?
    public var community: String?
    public var grid: String?
    /// Feed names, comma-separated (`hotline12345,petition`).
    public var source: String?
    /// A unified category code or prefix level (`HB`, `HB.01`).
    public var category: String?

    public init(since: Timestamp? = nil, until: Timestamp? = nil, district: String? = nil, street: String? = nil,
                community: String? = nil, grid: String? = nil, source: String? = nil, category: String? = nil) {
        self.since = since
        self.until = until
        self.district = district
        self.street = street
        self.community = community
        self.grid = grid
        self.source = source
        self.category = category
    }

    /// The filters that are set, as `name → value` text for the manifest.
    public var described: [String: String] {
        var out: [String: String] = [:]
        if let since { out["since"] = since.iso8601 }
        if let until { out["until"] = until.iso8601 }
        if let district { out["district"] = district }
        if let street { out["street"] = street }
        if let community { out["community"] = community }
        if let grid { out["grid"] = grid }
        if let source { out["source"] = source }
        if let category { out["category"] = category }
        return out
    }

    /// The feed names of `source`, trimmed, empty entries left out.
    public var sources: [String] {
        (source ?? "").split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// The columns of one table that the filters apply to; nil means "does not apply".
    struct Columns {
        var time: String?
        /// Columns holding the district, street, community and grid codes; when a table only
        /// has a grid code, the same column serves all four (codes nest by prefix).
        var district: String?
        var street: String?
        var community: String?
        var grid: String?
        var source: String?
        /// A comma-separated list of feeds (incident.sources) instead of one feed.
        var sourceList: String?
        var category: String?

        static func event(_ alias: String) -> Columns {
            Columns(time: "\(alias).reported_at", district: "\(alias).district_code", street: "\(alias).street_code",
                    community: "\(alias).community_code", grid: "\(alias).grid_code", source: "\(alias).source",
                    category: "\(alias).category")
        }

        static func gridOnly(_ column: String) -> Columns {
            Columns(district: column, street: column, community: column, grid: column)
        }
    }

    /// A SQL condition (`1` when nothing applies), its arguments, and the names applied.
    struct Clause {
        var sql: String
        var arguments: StatementArguments
        var applied: Set<String>
    }

    func clause(_ columns: Columns, skipSince: Bool = false) -> Clause {
        var parts: [String] = []
        var arguments = StatementArguments()
        var applied = Set<String>()
        if let column = columns.time {
            if let since, !skipSince {
                parts.append("\(column) >= ?"); _ = arguments.append(contentsOf: [since.seconds]); applied.insert("since")
            }
            if let until {
                parts.append("\(column) < ?"); _ = arguments.append(contentsOf: [until.seconds]); applied.insert("until")
            }
        }
        func prefix(_ code: String?, _ column: String?, _ name: String) {
            guard let code, let column else { return }
            // A range on the code keeps the indexes usable; codes are ASCII digits.
            parts.append("(\(column) >= ? AND \(column) < ?)")
            _ = arguments.append(contentsOf: [code, code + "~"])
            applied.insert(name)
        }
        prefix(district, columns.district, "district")
        prefix(street, columns.street, "street")
        prefix(community, columns.community, "community")
        prefix(grid, columns.grid, "grid")
        let feeds = sources
        if !feeds.isEmpty {
            if let column = columns.source {
                parts.append("\(column) IN (\(feeds.map { _ in "?" }.joined(separator: ",")))")
                _ = arguments.append(contentsOf: StatementArguments(feeds))
                applied.insert("source")
            } else if let column = columns.sourceList {
                parts.append("(" + feeds.map { _ in "(',' || \(column) || ',') LIKE ('%,' || ? || ',%')" }.joined(separator: " OR ") + ")")
                _ = arguments.append(contentsOf: StatementArguments(feeds))
                applied.insert("source")
            }
        }
        if let category, let column = columns.category {
            parts.append("(\(column) = ? OR substr(\(column), 1, ?) = ?)")
            _ = arguments.append(contentsOf: [category, category.utf8.count + 1, category + "."])
            applied.insert("category")
        }
        return Clause(sql: parts.isEmpty ? "1" : parts.joined(separator: " AND "), arguments: arguments, applied: applied)
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
