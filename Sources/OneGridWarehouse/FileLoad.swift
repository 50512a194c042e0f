import Foundation
import GRDB
import OneGridModel

/// A source file as the operations log records it.
public struct SourceFileInfo: Sendable, Hashable {
    public var feed: String
    public var path: String
    public var sha256: String
    public var size: Int64
    public var encoding: String?
    public var gzip: Bool
    public var mappingHash: String
    public var exportDate: String?
    /// A CSV file's header record as stored in the file, for re-reading its rejects.
    public var headerRaw: [UInt8]?

    public init(feed: String, path: String, sha256: String, size: Int64, encoding: String?, gzip: Bool,
                mappingHash: String, exportDate: String?) {
        self.feed = feed
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.encoding = encoding
        self.gzip = gzip
        self.mappingHash = mappingHash
        self.exportDate = exportDate
    }
}

/// The final state of a file in the operations log.
public enum FileState: String, Sendable, Codable {
    case loaded
    case failed
    case overThreshold = "over_threshold"
}

/// Loads one file's records inside the caller's transaction: events with their versions,
/// parties, steps, places and incidents, plus rejects and findings, all tied to the file.
///
/// Used with a read-only database it only classifies (`classify`), which is how the
/// dry-run reports new / updated / unchanged without writing.
public final class FileLoad {
    let db: Database
    public let fileID: Int64
    let feed: String
    let exportDate: String?
    let rules: LinkingRules
    /// Keys seen earlier in this file and the dry-run's earlier ones, for classification without writing.
    var seenInFile: SeenKeys?
    /// Place ids by key, as this load found or wrote them (a place row never changes id);
    /// bounded, and dropped with the load, so a rolled-back file leaves nothing behind.
    var placeIDs: [String: Int64] = [:]
    static let placeIDLimit = 10_000
    /// Negative look-up filters, built once the load has made enough look-ups (`WriterFilters`).
    var filters = WriterFilters()
    /// Records the file may hold (its bytes at `DeferredIndexes.bytesPerRecord`), to size them.
    var expectedRecords = 0
    /// Reprocessing under a changed mapping (`reload`, `rejects replay`): a record of the
    /// same version (same time and export date) replaces the current one instead of
    /// losing the tie on its content hash.
    public var remapping = false

    /// Starts a file: writes its `source_file` row (state `loaded`, counts filled by `finish`).
    public init(db: Database, runID: Int64?, file: SourceFileInfo, rules: LinkingRules, now: Int64) throws {
        self.db = db
        feed = file.feed
        exportDate = file.exportDate
        self.rules = rules
        expectedRecords = Int(file.size / DeferredIndexes.bytesPerRecord)
        try db.execute(sql: """
            INSERT INTO source_file (run_id, feed, path, sha256, size, encoding, gzip, mapping_hash, export_date, state, started_at, header_raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?)
            """, arguments: [runID, file.feed, file.path, file.sha256, file.size, file.encoding, file.gzip,
                             file.mappingHash, file.exportDate, now, file.headerRaw.map { Data($0) }])
        fileID = db.lastInsertedRowID
    }

    /// Adds records to a file already in the log (`rejects replay`): no new row.
    public init(db: Database, existingFileID: Int64, feed: String, exportDate: String?, rules: LinkingRules) {
        self.db = db
        fileID = existingFileID
        self.feed = feed
        self.exportDate = exportDate
        self.rules = rules
    }

    /// A classifier over a read-only database: no source_file row, nothing written to it.
    /// - Parameter seen: keys met in the dry-run's earlier files (nil: this file alone).
    public init(readOnly db: Database, feed: String, exportDate: String?, rules: LinkingRules, seen: SeenKeys? = nil) throws {
        self.db = db
        fileID = 0
        self.feed = feed
        self.exportDate = exportDate
        self.rules = rules
        seenInFile = try seen ?? SeenKeys()
    }

    /// Loads one event; returns what it did.
    @discardableResult
    public func load(_ event: ResolvedEvent) throws -> LoadOutcome {
        let d = event.draft
        let rank = ResolvedEvent.versionRank(versionAt: d.versionAt, exportDate: exportDate, contentHash: event.contentHash)
        let existing = try eventMayExist(d.sourceKey)
            ? Row.fetchOne(db.cachedStatement(sql: "SELECT id, version_rank, content_hash, incident_id FROM event WHERE source = ? AND source_key = ?"),
                               arguments: [feed, d.sourceKey])
            : nil
        let outcome: LoadOutcome
        let eventID: Int64
        if let existing {
            eventID = existing[0]
            outcome = self.outcome(rank: rank, hash: event.contentHash, over: (existing[1], existing[2]))
            if outcome == .updated {
                let placeID = try upsertPlace(event.place)
                try writeEvent(event, rank: rank, placeID: placeID, updating: eventID)
                try db.execute(sql: "DELETE FROM event_party WHERE event_id = ?", arguments: [eventID])
                try db.execute(sql: "DELETE FROM event_step WHERE event_id = ?", arguments: [eventID])
                try writeChildren(event, eventID: eventID)
                if let incidentID: Int64 = existing[3] { try refreshIncident(incidentID) } else { try linkIncident(event, eventID: eventID) }
            }
        } else {
            outcome = .new
            let placeID = try upsertPlace(event.place)
            // The incident is decided first, so the event row is written once, with it.
            let incident = try incident(for: event)
            eventID = try writeEvent(event, rank: rank, placeID: placeID, updating: nil, incident: incident)
            filters.events?.insert(d.sourceKey)
            try writeChildren(event, eventID: eventID)
        }
        try db.cachedStatement(sql: """
            INSERT INTO event_version (event_id, version_at, version_rank, content_hash, source_file_id, line, byte_offset, record_ordinal, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_id, content_hash) DO NOTHING
            """).execute(arguments: [eventID, d.versionAt?.seconds, rank, event.contentHash, fileID, event.position.line,
                                     event.position.byteOffset, event.position.record, Data(event.sealedPayload)])
        try recordFindings(event.findings, line: event.position.line)
        return outcome
    }

    /// Keeps a record that could not be loaded, with its sealed raw bytes, under its reason's
    /// stored code.
    public func reject(position: SourcePosition, reason: RejectReason, field: String?, message: String, sealedRaw: [UInt8]) throws {
        try db.cachedStatement(sql: """
            INSERT INTO reject (source_file_id, feed, line, byte_offset, record_ordinal, field, reason, message, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [fileID, feed, position.line, position.byteOffset, position.record, field, reason.code,
                                     message, Data(sealedRaw)])
    }

    /// Writes the reconciliation counts and the file's final state.
    public func finish(counts: FileCounts, state: FileState, message: String?, now: Int64) throws {
        try db.execute(sql: """
            UPDATE source_file SET state = ?, records_read = ?, records_new = ?, records_updated = ?, records_unchanged = ?,
                records_rejected = ?, records_skipped = ?, findings = ?, finished_at = ?, message = ? WHERE id = ?
            """, arguments: [state.rawValue, counts.read, counts.new, counts.updated, counts.unchanged, counts.rejected,
                             counts.skipped, counts.findings, now, message, fileID])
    }
}
