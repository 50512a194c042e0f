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
    /// Keys seen earlier in this same file, for classification without writing (dry-run).
    private var seenInFile: SeenKeys?
    /// Place ids by key, as this load found or wrote them (a place row never changes id);
    /// bounded, and dropped with the load, so a rolled-back file leaves nothing behind.
    var placeIDs: [String: Int64] = [:]
    static let placeIDLimit = 10_000
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
    public init(readOnly db: Database, feed: String, exportDate: String?, rules: LinkingRules) throws {
        self.db = db
        fileID = 0
        self.feed = feed
        self.exportDate = exportDate
        self.rules = rules
        seenInFile = try SeenKeys()
    }

    /// What loading this event would do, without doing it.
    public func classify(_ event: ResolvedEvent) throws -> LoadOutcome {
        let rank = ResolvedEvent.versionRank(versionAt: event.draft.versionAt, exportDate: exportDate, contentHash: event.contentHash)
        let current: (rank: String, hash: String)?
        if let seen = try seenInFile?.version(of: event.draft.sourceKey) {
            current = seen
        } else if let row = try Row.fetchOne(db, sql: "SELECT version_rank, content_hash FROM event WHERE source = ? AND source_key = ?",
                                             arguments: [feed, event.draft.sourceKey]) {
            current = (row[0], row[1])
        } else {
            current = nil
        }
        let outcome: LoadOutcome = current.map { self.outcome(rank: rank, hash: event.contentHash, over: $0) } ?? .new
        if outcome != .unchanged { try seenInFile?.remember(event.draft.sourceKey, rank: rank, hash: event.contentHash) }
        return outcome
    }

    /// What a version does to the current one of its key: the same content changes nothing;
    /// a higher rank replaces it (under `remapping`, so does the same version); anything else
    /// is older and changes nothing. One rule for `load` and `classify`, so a dry-run predicts
    /// exactly what loading does.
    func outcome(rank: String, hash: String, over current: (rank: String, hash: String)) -> LoadOutcome {
        if current.hash == hash { return .unchanged }
        if rank > current.rank || (remapping && Self.version(of: rank) == Self.version(of: current.rank)) { return .updated }
        return .unchanged
    }

    /// Loads one event; returns what it did.
    @discardableResult
    public func load(_ event: ResolvedEvent) throws -> LoadOutcome {
        let d = event.draft
        let rank = ResolvedEvent.versionRank(versionAt: d.versionAt, exportDate: exportDate, contentHash: event.contentHash)
        let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, version_rank, content_hash, incident_id FROM event WHERE source = ? AND source_key = ?"),
                                        arguments: [feed, d.sourceKey])
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
            let incidentID = try incident(for: event)
            eventID = try writeEvent(event, rank: rank, placeID: placeID, updating: nil, incidentID: incidentID)
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

    /// Keeps a record that could not be loaded, with its sealed raw bytes.
    public func reject(position: SourcePosition, reason: String, field: String?, message: String, sealedRaw: [UInt8]) throws {
        try db.cachedStatement(sql: """
            INSERT INTO reject (source_file_id, feed, line, byte_offset, record_ordinal, field, reason, message, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [fileID, feed, position.line, position.byteOffset, position.record, field, reason,
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

    // MARK: - Pieces

    /// A version rank without its content-hash tie-breaker: `time|export date`.
    static func version(of rank: String) -> Substring {
        rank[..<(rank.lastIndex(of: "|") ?? rank.endIndex)]
    }

    func recordFindings(_ findings: [Finding], line: Int) throws {
        for f in findings {
            try db.cachedStatement(sql: "INSERT INTO finding (source_file_id, line, field, code, message) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [fileID, line, f.field, f.code, f.message])
            if f.code == "unmapped_value", let value = f.rawValue {
                try db.cachedStatement(sql: """
                    INSERT INTO unmapped_value (feed, field, value, occurrences, first_file_id) VALUES (?, ?, ?, 1, ?)
                    ON CONFLICT(feed, field, value) DO UPDATE SET occurrences = occurrences + 1
                    """).execute(arguments: [feed, f.field, value, fileID])
            }
        }
    }

    /// One `place` row per distinct place key; the first resolution of a key is kept.
    func upsertPlace(_ p: ResolvedPlace) throws -> Int64? {
        let key: String
        if let id = p.standardAddressID { key = "std:" + id }
        else if let n = p.normalizedKey { key = "addr:" + n }
        else if let t = p.text { key = "text:" + t }
        else if let g = p.gridCode { key = "grid:" + g }
        else if let c = p.communityCode ?? p.streetCode ?? p.districtCode { key = "division:" + c }
        else { return nil }
        if let id = placeIDs[key] { return id }
        if placeIDs.count >= Self.placeIDLimit { placeIDs.removeAll(keepingCapacity: true) }
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM place WHERE place_key = ?"), arguments: [key]) {
            placeIDs[key] = id
            return id
        }
        try db.cachedStatement(sql: """
            INSERT INTO place (place_key, text, normalized_key, compound_key, std_address_id, grid_code, community_code,
                street_code, district_code, lng, lat, method, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [key, p.text, p.normalizedKey, p.compoundKey, p.standardAddressID, p.gridCode,
                                     p.communityCode, p.streetCode, p.districtCode, p.location?.lng, p.location?.lat,
                                     p.method.rawValue, p.confidence])
        placeIDs[key] = db.lastInsertedRowID
        return db.lastInsertedRowID
    }

    /// The event columns `writeEvent` fills, after `source, source_key`; the statements are
    /// built once, not per record.
    static let eventColumns = [
        "version_at", "version_rank", "content_hash", "category", "source_category", "source_category_code", "nature",
        "channel", "urgency", "status", "source_status", "title", "content", "handling_unit", "result", "satisfaction",
        "is_repeat", "repeat_of", "reported_at", "dispatched_at", "closed_at", "headcount", "self_resolved", "is_voided",
        "given_grid_code", "grid_code", "community_code", "street_code", "district_code", "place_id", "match_method",
        "match_confidence", "grid_conflict", "source_file_id", "line",
    ]
    static let insertEventSQL = "INSERT INTO event (source, source_key, \(eventColumns.joined(separator: ", ")), incident_id) VALUES ("
        + Array(repeating: "?", count: eventColumns.count + 3).joined(separator: ", ") + ")"
    static let updateEventSQL = "UPDATE event SET \(eventColumns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    @discardableResult
    func writeEvent(_ e: ResolvedEvent, rank: String, placeID: Int64?, updating: Int64?, incidentID: Int64? = nil) throws -> Int64 {
        let d = e.draft
        let p = e.place
        // In the order of `eventColumns`.
        var values: [DatabaseValue] = []
        values.reserveCapacity(Self.eventColumns.count + 2)
        if updating == nil {
            values.append(feed.databaseValue)
            values.append(d.sourceKey.databaseValue)
        }
        let row: [(any DatabaseValueConvertible)?] = [
            d.versionAt?.seconds, rank, e.contentHash,
            d.category, d.sourceCategory, d.sourceCategoryCode,
            d.nature, d.channel, d.urgency, d.status?.rawValue,
            d.sourceStatus, d.title, d.content,
            d.handlingUnit, d.result,
            d.satisfaction?.rawValue, d.isRepeat, d.repeatOf,
            d.reportedAt?.seconds, d.dispatchedAt?.seconds, d.closedAt?.seconds,
            d.headcount, d.selfResolved, d.isVoided,
            d.givenGridCode, p.gridCode, p.communityCode,
            p.streetCode, p.districtCode, placeID,
            p.method.rawValue, p.confidence, p.conflict,
            fileID, e.position.line,
        ]
        for value in row { values.append(value?.databaseValue ?? .null) }
        if let updating {
            values.append(updating.databaseValue)
            try db.cachedStatement(sql: Self.updateEventSQL).execute(arguments: StatementArguments(values))
            return updating
        }
        values.append(incidentID?.databaseValue ?? .null)
        try db.cachedStatement(sql: Self.insertEventSQL).execute(arguments: StatementArguments(values))
        return db.lastInsertedRowID
    }

    func writeChildren(_ e: ResolvedEvent, eventID: Int64) throws {
        for (i, party) in e.draft.parties.enumerated() {
            let keys = i < e.people.count ? e.people[i] : PersonKeys()
            let personID = try person(for: keys, workerID: party.workerID)
            try db.cachedStatement(sql: """
                INSERT INTO event_party (event_id, ordinal, person_id, role, is_lead, worker_id, masked_name) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [eventID, i + 1, personID, party.role, party.isLead, party.workerID, keys.maskedName])
        }
        for (i, step) in e.draft.steps.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO event_step (event_id, ordinal, at, action, unit, result) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(arguments: [eventID, i + 1, step.at?.seconds, step.action, step.unit, step.result])
        }
    }

    /// The person a party is: a roster worker by id, else the linking rule over the persons
    /// sharing any of the party's tokens, else a new person. Never by name alone.
    func person(for keys: PersonKeys, workerID: String?) throws -> Int64? {
        if let workerID, let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT person_id FROM worker WHERE worker_id = ? AND person_id IS NOT NULL LIMIT 1"),
                                                     arguments: [workerID]) {
            return id
        }
        return try PersonStore(db: db).link(keys, rule: rules.person, absorb: rules.personAbsorbs)
    }

    func linkIncident(_ e: ResolvedEvent, eventID: Int64) throws {
        guard let incidentID = try incident(for: e) else { return }
        try db.cachedStatement(sql: "UPDATE event SET incident_id = ? WHERE id = ?").execute(arguments: [incidentID, eventID])
    }

    /// The incident an event belongs to, by the linking rule among the incidents at its
    /// place (or the one it repeats), else a new one; its figures are extended by the event.
    /// Nil for voided events and events without a place key.
    func incident(for e: ResolvedEvent) throws -> Int64? {
        let d = e.draft
        guard !d.isVoided else { return nil }
        let placeKey = e.place.incidentPlaceKey ?? e.place.standardAddressID.map { "std:" + $0 }
            ?? e.place.compoundKey.map { "compound:" + $0 }
        let facts = IncidentFacts(source: d.source, sourceKey: d.sourceKey, placeKey: placeKey, category: d.category,
                                  reportedAt: d.reportedAt, repeatOf: d.repeatOf)
        var candidates: [KnownIncident] = []
        var repeatIncident: Int64?
        if let repeatOf = d.repeatOf {
            // By (source, source_key), the unique index, for each feed loaded so far (the same
            // feed first): a lookup by source_key alone would scan every event.
            repeatIncident = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT incident_id FROM event
                WHERE source IN (SELECT DISTINCT feed FROM source_file) AND source_key = ? AND incident_id IS NOT NULL
                ORDER BY source = ? DESC LIMIT 1
                """), arguments: [repeatOf, feed])
        }
        if let placeKey {
            let at = d.reportedAt?.seconds ?? 0
            let related = FileLoad.relatedPlaceKeys(placeKey)
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, place_key, category, first_report, last_report FROM incident
                WHERE (place_key = ?1 OR place_key = ?2 OR (place_key >= ?3 AND place_key < ?3 || x'F4'))
                    AND last_report >= ?4 AND first_report <= ?5 AND (category = ?6 OR category LIKE ?6 || '.%')
                """), arguments: [placeKey, related.parent, related.childPrefix, at - rules.incidentWindow,
                                  at + rules.incidentWindow, FileLoad.categoryClass(d.category)])
            candidates = rows.map { Self.knownIncident($0, isRepeatTarget: $0[0] == repeatIncident) }
        }
        if let repeatIncident, !candidates.contains(where: { $0.id == repeatIncident }),
           let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, place_key, category, first_report, last_report FROM incident WHERE id = ?"),
                                    arguments: [repeatIncident]) {
            candidates.append(Self.knownIncident(r, isRepeatTarget: true))
        }
        var incidentID = rules.incident(facts, candidates)
        if incidentID == nil {
            guard let placeKey else { return nil }
            try db.cachedStatement(sql: "INSERT INTO incident (place_key, category, std_address_id, grid_code) VALUES (?, ?, ?, ?)")
                .execute(arguments: [placeKey, d.category, e.place.standardAddressID, e.place.gridCode])
            incidentID = db.lastInsertedRowID
        }
        if let placeKey, placeKey.hasPrefix("building:") {
            // A coarse incident (its compound only) becomes the building a report names.
            try db.execute(sql: "UPDATE incident SET place_key = ? WHERE id = ? AND place_key = ?",
                           arguments: [placeKey, incidentID, FileLoad.relatedPlaceKeys(placeKey).parent])
        }
        try extendIncident(incidentID!, source: d.source, reportedAt: d.reportedAt?.seconds, status: d.status?.rawValue)
        return incidentID
    }

    /// An `incident` row as `SELECT id, place_key, category, first_report, last_report` gives it.
    static func knownIncident(_ r: Row, isRepeatTarget: Bool) -> KnownIncident {
        KnownIncident(id: r[0], placeKey: r[1], category: r[2], firstReport: (r[3] as Int64?).map(Timestamp.init),
                      lastReport: (r[4] as Int64?).map(Timestamp.init), isRepeatTarget: isRepeatTarget)
    }

    /// The statuses of an open matter (as `refreshIncident` counts them).
    static let openStatuses: Set<String> = ["received", "accepted", "dispatched", "processing", "returned"]

    /// Adds one new member event to an incident's figures: the same values `refreshIncident`
    /// computes over all its events, in a primary-key read and write instead of five
    /// aggregates over members (which made loading quadratic in an incident's size).
    func extendIncident(_ id: Int64, source: String, reportedAt: Int64?, status: String?) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT first_report, last_report, event_count, sources, is_open FROM incident WHERE id = ?"),
                                         arguments: [id]) else { return }
        var first: Int64? = row[0], last: Int64? = row[1]
        let count: Int64 = row[2]
        let stored: String = row[3]
        let isOpen = status.map { Self.openStatuses.contains($0) } ?? false
        if let at = reportedAt {
            first = min(first ?? at, at)
            last = max(last ?? at, at)
        }
        var sources = count == 0 ? [] : stored.split(separator: ",").map(String.init)
        if !sources.contains(source) { sources = (sources + [source]).sorted() }
        let open = count == 0 ? isOpen : (row[4] as Bool) || isOpen
        try db.cachedStatement(sql: """
            UPDATE incident SET first_report = ?, last_report = ?, event_count = ?, sources = ?, is_open = ? WHERE id = ?
            """).execute(arguments: [first, last, count + 1, sources.joined(separator: ","), open, id])
    }

    /// The incident place keys an event's key may meet besides itself: a building's compound
    /// (`building:C|X|3` → `compound:C|X`), and a compound's buildings (`compound:C|X` → keys
    /// starting `building:C|X|`). The linking rule decides among them.
    static func relatedPlaceKeys(_ key: String) -> (parent: String?, childPrefix: String?) {
        if key.hasPrefix("building:"), let bar = key.lastIndex(of: "|") {
            return ("compound:" + key[key.index(key.startIndex, offsetBy: 9)..<bar], nil)
        }
        if key.hasPrefix("compound:") { return (nil, "building:" + key.dropFirst(9) + "|") }
        return (nil, nil)
    }

    /// The domain.class of a unified category (`HB.01.07` → `HB.01`): candidate incidents are
    /// fetched only within it, the one relation the linking rule accepts. Nil: no category,
    /// no candidate (only explicit repeats join).
    static func categoryClass(_ category: String?) -> String? {
        guard let category else { return nil }
        return category.split(separator: ".", omittingEmptySubsequences: false).prefix(2).joined(separator: ".")
    }

    /// Recomputes an incident's figures from its events.
    func refreshIncident(_ id: Int64) throws {
        try db.cachedStatement(sql: """
            UPDATE incident SET
                first_report = (SELECT min(reported_at) FROM event WHERE incident_id = ?1),
                last_report = (SELECT max(reported_at) FROM event WHERE incident_id = ?1),
                event_count = (SELECT count(*) FROM event WHERE incident_id = ?1),
                sources = (SELECT group_concat(source, ',') FROM (SELECT DISTINCT source FROM event WHERE incident_id = ?1 ORDER BY source)),
                is_open = (SELECT coalesce(max(status IN ('received','accepted','dispatched','processing','returned')), 0) FROM event WHERE incident_id = ?1)
            WHERE id = ?1
            """).execute(arguments: [id])
    }
}
