import Foundation
import GRDB

/// The source keys a dry-run has met earlier in a file, with the version each would have
/// left current: kept in a scratch SQLite file (removed when done) rather than in memory, so
/// a dry-run of a file of millions of records stays within the memory of a small one.
final class SeenKeys {
    private let queue: DatabaseQueue
    private let path: String

    init() throws {
        path = NSTemporaryDirectory() + "onegrid-dry-run-\(UUID().uuidString).sqlite"
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // Scratch data: nothing to recover after a crash, so no journal and no syncs.
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE seen (source_key TEXT PRIMARY KEY, version_rank TEXT NOT NULL, content_hash TEXT NOT NULL) WITHOUT ROWID")
        }
    }

    deinit {
        try? queue.close()
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// The version remembered for `sourceKey`, if it was seen.
    func version(of sourceKey: String) throws -> (rank: String, hash: String)? {
        try queue.inDatabase { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT version_rank, content_hash FROM seen WHERE source_key = ?"),
                             arguments: [sourceKey]).map { ($0[0], $0[1]) }
        }
    }

    func remember(_ sourceKey: String, rank: String, hash: String) throws {
        try queue.inDatabase { db in
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO seen (source_key, version_rank, content_hash) VALUES (?, ?, ?)")
                .execute(arguments: [sourceKey, rank, hash])
        }
    }
}
