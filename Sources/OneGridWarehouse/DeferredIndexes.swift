import GRDB

/// The bulk path of a load into an empty or much smaller warehouse: secondary indexes that
/// no step of a load reads are dropped at the start of the file's transaction and built again,
/// from their own stored SQL, before it commits — one sorted build instead of a random B-tree
/// insert per row (which spills pages once an index outgrows the page cache).
///
/// Crash safety is SQLite's: the drop and the rebuild are in the file's one transaction, so a
/// killed or failed load rolls back to the warehouse with every index, and a reader in WAL mode
/// keeps seeing the committed schema until the commit.
struct DeferredIndexes {
    /// Indexes only queries after a load read (reports, exports, status), never a load itself:
    /// not the `(source, source_key)`, place-key, person-token or incident-place indexes the
    /// writer looks records up by, nor `event_incident` (an update refreshes its incident
    /// through it) or `event_party_person` (a person merge moves parties through it).
    static let names = [
        "event_reported", "event_grid", "event_file", "place_std_address", "place_grid",
        "finding_file", "reject_file", "reject_reason",
    ]

    /// A file is taken as "much larger than the warehouse" when its bytes could hold more than
    /// twice as many records as the warehouse has events, at this many bytes a record (every
    /// feed's records are larger: hotline ≈ 400, patrol ≈ 700, petition ≈ 1,900 bytes). A file
    /// loaded again (`--force`, `reload`) into the warehouse it filled never qualifies: it
    /// would rebuild every deferred index to write next to nothing.
    static let bytesPerRecord: Int64 = 256

    /// The `CREATE INDEX` statements dropped, to run again at the end.
    private(set) var dropped: [String] = []

    /// Whether a file of `fileBytes` bytes should take the bulk path, judged by the highest
    /// event id (an index seek, where `count(*)` would read the whole table).
    static func pays(_ db: Database, fileBytes: Int64) throws -> Bool {
        let events = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM event") ?? 0
        return fileBytes / bytesPerRecord > 2 * events
    }

    /// Drops the deferred indexes that exist, remembering their SQL.
    mutating func drop(_ db: Database) throws {
        for name in Self.names {
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                                arguments: [name]) else { continue }
            try db.execute(sql: "DROP INDEX \(name)")
            dropped.append(sql)
        }
    }

    /// Builds every dropped index again, in the same transaction.
    mutating func rebuild(_ db: Database) throws {
        for sql in dropped { try db.execute(sql: sql) }
        dropped = []
    }
}
