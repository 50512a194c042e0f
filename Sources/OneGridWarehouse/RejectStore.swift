import Foundation
import GRDB
import OneGridModel

/// A standing reject as stored (raw bytes still sealed), with its file's facts needed to
/// read the record again: path, export date, CSV header record and encoding.
public struct RejectRecord: Sendable, Hashable, Codable, FetchableRecord {
    public var id: Int64
    public var sourceFileID: Int64
    public var feed: String
    public var path: String
    public var exportDate: String?
    public var line: Int
    public var byteOffset: Int64
    public var recordOrdinal: Int
    public var field: String?
    public var reason: RejectReason
    public var message: String
    public var sealedRaw: Data
    public var headerRaw: Data?
    public var encoding: String?

    enum CodingKeys: String, CodingKey {
        case id, feed, path, line, field, reason, message, encoding
        case sourceFileID = "source_file_id", exportDate = "export_date", byteOffset = "byte_offset"
        case recordOrdinal = "record_ordinal", sealedRaw = "raw", headerRaw = "header_raw"
    }
}

extension Warehouse {
    /// The rejects still standing (not replayed, of each file's latest load), oldest first,
    /// filtered by feed, file path suffix and reason code.
    public func standingRejects(feed: String? = nil, file: String? = nil, reason: RejectReason? = nil,
                                limit: Int? = nil) throws -> [RejectRecord] {
        try read { db in
            try RejectRecord.fetchAll(db, sql: """
                SELECT r.id, r.source_file_id, r.feed, f.path, f.export_date, r.line, r.byte_offset, r.record_ordinal,
                       r.field, r.reason, r.message, r.raw, f.header_raw, f.encoding
                FROM reject r JOIN source_file f ON f.id = r.source_file_id
                WHERE r.replayed_at IS NULL AND \(FileLog.isLatestLoadedCopy)
                  AND (?1 IS NULL OR r.feed = ?1) AND (?2 IS NULL OR f.path LIKE '%' || ?2) AND (?3 IS NULL OR r.reason = ?3)
                ORDER BY r.id LIMIT ?4
                """, arguments: [feed, file, reason, limit ?? -1])
        }
    }

    /// The feeds that hold standing rejects, by name.
    public func feedsWithStandingRejects() throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT r.feed FROM reject r JOIN source_file f ON f.id = r.source_file_id
                WHERE r.replayed_at IS NULL AND \(FileLog.isLatestLoadedCopy) ORDER BY r.feed
                """)
        }
    }

    /// Loads one file's records in one transaction: `body` gets a load that has written the
    /// file's `source_file` row (see `FileLoad.init(db:runID:file:rules:now:)`).
    ///
    /// With `bulk`, a file much larger than the warehouse (`DeferredIndexes.pays`) has the
    /// indexes no load reads dropped at the start and built again before the commit.
    public func loadFile<T>(runID: Int64?, file: SourceFileInfo, rules: LinkingRules, now: Int64, unlessLoaded: Bool = false,
                            bulk: Bool = false, _ body: (FileLoad) throws -> T) throws -> T {
        try write { db in
            // Checked inside the write transaction: of two processes given one file, the second finds it loaded.
            if unlessLoaded, try SourceFiles.isLoaded(db, sha256: file.sha256) { throw AlreadyLoaded() }
            var deferred = DeferredIndexes()
            if bulk, try DeferredIndexes.pays(db, fileBytes: file.size) { try deferred.drop(db) }
            let result = try body(try FileLoad(db: db, runID: runID, file: file, rules: rules, now: now))
            try deferred.rebuild(db)
            return result
        }
    }

    /// `loadFile(unlessLoaded: true)` found the same bytes already loaded.
    public struct AlreadyLoaded: Error {}

    /// Adds replayed rejects to a file already in the log, in one transaction, as a remap.
    public func replayIntoFile<T>(fileID: Int64, feed: String, exportDate: String?, rules: LinkingRules,
                                  _ body: (FileLoad) throws -> T) throws -> T {
        try write { db in
            let load = FileLoad(db: db, existingFileID: fileID, feed: feed, exportDate: exportDate, rules: rules)
            load.remapping = true
            return try body(load)
        }
    }

    /// Classifies a file's records against the warehouse without writing (dry-run).
    public func classifyFile<T>(feed: String, exportDate: String?, rules: LinkingRules, seen: SeenKeys? = nil,
                                _ body: (FileLoad) throws -> T) throws -> T {
        try read { db in try body(try FileLoad(readOnly: db, feed: feed, exportDate: exportDate, rules: rules, seen: seen)) }
    }
}

extension FileLoad {
    /// A replayed reject that now loads: it stays as history, marked replayed.
    public func markReplayed(rejectID: Int64, at now: Int64) throws {
        try db.execute(sql: "UPDATE reject SET replayed_at = ? WHERE id = ?", arguments: [now, rejectID])
    }

    /// A replayed reject that still fails takes the current reason.
    public func restateReject(id: Int64, reason: RejectReason, field: String?, message: String) throws {
        try db.execute(sql: "UPDATE reject SET reason = ?, field = ?, message = ? WHERE id = ?",
                       arguments: [reason, field, message, id])
    }

    /// Moves replayed records from the file's `rejected` count to new / updated / unchanged.
    public func moveReplayedCounts(new: Int, updated: Int, unchanged: Int) throws {
        try db.execute(sql: """
            UPDATE source_file SET records_rejected = records_rejected - ?, records_new = records_new + ?,
                records_updated = records_updated + ?, records_unchanged = records_unchanged + ? WHERE id = ?
            """, arguments: [new + updated + unchanged, new, updated, unchanged, fileID])
    }
}

/// A reason is stored as its code (`reject.reason`), so filters and reports read the column
/// as text.
extension RejectReason: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { code.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> RejectReason? {
        String.fromDatabaseValue(value).map(RejectReason.init(code:))
    }
}
