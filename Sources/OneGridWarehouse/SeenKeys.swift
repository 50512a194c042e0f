import Foundation
import GRDB

/// The source keys a dry-run has met earlier in its files, with the version each would have
/// left current: kept in a scratch SQLite file (removed when done) rather than in memory, so
/// a dry-run of a file of millions of records stays within the memory of a small one.
///
/// Keys of the file being classified are pending until the dry-run knows the file would load
/// (`keepFile`): import loads a failing file not at all, so its keys must not make a later
/// file's copies updates (`forgetFile`).
public final class SeenKeys {
    private let queue: DatabaseQueue
    private let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "onegrid-dry-run-\(UUID().uuidString).sqlite"
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // Scratch data: nothing to recover after a crash, so no journal and no syncs.
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE seen (source_key TEXT PRIMARY KEY, version_rank TEXT NOT NULL, content_hash TEXT NOT NULL) WITHOUT ROWID")
            try db.execute(sql: "CREATE TABLE pending (source_key TEXT PRIMARY KEY, version_rank TEXT NOT NULL, content_hash TEXT NOT NULL) WITHOUT ROWID")
        }
    }

    deinit {
        try? queue.close()
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// The version remembered for `sourceKey` (this file's first, then earlier files'), if seen.
    func version(of sourceKey: String) throws -> (rank: String, hash: String)? {
        try queue.inDatabase { db in
            for table in ["pending", "seen"] {
                if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT version_rank, content_hash FROM \(table) WHERE source_key = ?"),
                                              arguments: [sourceKey]) {
                    return (row[0], row[1])
                }
            }
            return nil
        }
    }

    func remember(_ sourceKey: String, rank: String, hash: String) throws {
        try queue.inDatabase { db in
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO pending (source_key, version_rank, content_hash) VALUES (?, ?, ?)")
                .execute(arguments: [sourceKey, rank, hash])
        }
    }

    /// The file classified since the last call would load: its keys carry to the next files.
    public func keepFile() throws {
        try queue.inDatabase { db in
            try db.execute(sql: "INSERT OR REPLACE INTO seen SELECT * FROM pending; DELETE FROM pending")
        }
    }

    /// The file classified since the last call would fail whole: its keys are forgotten.
    public func forgetFile() throws {
        try queue.inDatabase { db in try db.execute(sql: "DELETE FROM pending") }
    }
}
