import Foundation
import GRDB

/// The operations log of files (`source_file`) as the pipeline's reports and reruns read it.
public enum FileLog {
    /// The one definition of "this row is the file's latest loaded copy" (a file loaded
    /// again by `reload` or `--force` has several rows; only the newest loaded one counts),
    /// for a `source_file` row aliased `f`.
    static let isLatestLoadedCopy =
        "f.id = (SELECT max(g.id) FROM source_file g WHERE g.sha256 = f.sha256 AND g.state = 'loaded')"
}

/// A loaded file as `reload` needs it: where it was, its fingerprint and its mapping.
public struct LoadedFile: Sendable, Hashable, Codable, FetchableRecord {
    public var path: String
    public var sha256: String
    public var mappingHash: String

    enum CodingKeys: String, CodingKey {
        case path, sha256
        case mappingHash = "mapping_hash"
    }
}

/// One file of the log as `status` lists it, with its reconciliation counts.
public struct FileLogEntry: Sendable, Hashable, Codable, FetchableRecord {
    public var feed: String
    public var path: String
    public var state: String
    public var recordsRead: Int
    public var recordsNew: Int
    public var recordsUpdated: Int
    public var recordsUnchanged: Int
    public var recordsRejected: Int
    public var recordsSkipped: Int
    public var message: String?
    public var mappingHash: String
    /// Whether this row is the file's latest loaded copy.
    public var isLatestLoadedCopy: Bool

    enum CodingKeys: String, CodingKey {
        case feed, path, state, message
        case recordsRead = "records_read", recordsNew = "records_new", recordsUpdated = "records_updated"
        case recordsUnchanged = "records_unchanged", recordsRejected = "records_rejected", recordsSkipped = "records_skipped"
        case mappingHash = "mapping_hash", isLatestLoadedCopy = "is_latest_loaded_copy"
    }
}

/// How many rows the main tables hold, for `status`.
public struct WarehouseCounts: Sendable, Hashable, Codable, FetchableRecord {
    public var events: Int
    public var people: Int
    public var incidents: Int
    public var rejects: Int
    public var grids: Int
    public var standardAddresses: Int

    enum CodingKeys: String, CodingKey {
        case events, people, incidents, rejects, grids
        case standardAddresses = "standard_addresses"
    }
}

extension Warehouse {
    /// Whether a file with this SHA-256 has been loaded (any name, any run).
    public func isLoaded(sha256: String) throws -> Bool {
        try read { db in try SourceFiles.isLoaded(db, sha256: sha256) }
    }

    /// The feed's files as last loaded, in export-date order.
    public func loadedFiles(feed: String) throws -> [LoadedFile] {
        try read { db in
            try LoadedFile.fetchAll(db, sql: """
                SELECT f.path, f.sha256, f.mapping_hash FROM source_file f
                WHERE f.feed = ? AND f.state = 'loaded' AND \(FileLog.isLatestLoadedCopy)
                ORDER BY coalesce(f.export_date, ''), f.id
                """, arguments: [feed])
        }
    }

    /// The latest files of the log, newest first.
    public func recentFiles(limit: Int) throws -> [FileLogEntry] {
        try read { db in
            try FileLogEntry.fetchAll(db, sql: """
                SELECT feed, path, state, records_read, records_new, records_updated, records_unchanged, records_rejected,
                       records_skipped, message, mapping_hash, coalesce(\(FileLog.isLatestLoadedCopy), 0) AS is_latest_loaded_copy
                FROM source_file f ORDER BY id DESC LIMIT ?
                """, arguments: [limit])
        }
    }

    /// Row counts of the main tables.
    public func counts() throws -> WarehouseCounts {
        try read { db in
            try WarehouseCounts.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM event) AS events, (SELECT count(*) FROM person) AS people,
                       (SELECT count(*) FROM incident) AS incidents, (SELECT count(*) FROM reject) AS rejects,
                       (SELECT count(*) FROM grid) AS grids, (SELECT count(*) FROM std_address) AS standard_addresses
                """) ?? WarehouseCounts(events: 0, people: 0, incidents: 0, rejects: 0, grids: 0, standardAddresses: 0)
        }
    }

    /// Folds the write-ahead log into the database file and truncates it (end of a run).
    public func checkpoint() throws {
        try database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }
}
