import Foundation
import GRDB
import OneGridModel

/// Person and incident linking: the loader's side of the linking rules (`LinkingRules`).
extension FileLoad {
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
        let placeKey = e.place.incidentPlaceKey
            ?? IncidentPlaceKey(standardAddressID: e.place.standardAddressID, compoundKey: e.place.compoundKey)
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
            // The keys it may meet besides itself: a building's compound, a compound's buildings.
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, place_key, category, first_report, last_report FROM incident
                WHERE (place_key = ?1 OR place_key = ?2 OR (place_key >= ?3 AND place_key < ?3 || x'F4'))
                    AND last_report >= ?4 AND first_report <= ?5 AND (category = ?6 OR category LIKE ?6 || '.%')
                """), arguments: [placeKey.stored, placeKey.compoundOfBuilding?.stored, placeKey.storedBuildingPrefix,
                                  at - rules.incidentWindow, at + rules.incidentWindow, FileLoad.categoryClass(d.category)])
            candidates = rows.map { Self.knownIncident($0, isRepeatTarget: $0[0] == repeatIncident) }
        }
        if let repeatIncident, !candidates.contains(where: { $0.id == repeatIncident }),
           let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, place_key, category, first_report, last_report FROM incident WHERE id = ?"),
                                    arguments: [repeatIncident]) {
            candidates.append(Self.knownIncident(r, isRepeatTarget: true))
        }
        let incidentID: Int64
        if let joined = rules.incident(facts, candidates) {
            incidentID = joined
        } else {
            guard let placeKey else { return nil }
            try db.cachedStatement(sql: "INSERT INTO incident (place_key, category, std_address_id, grid_code) VALUES (?, ?, ?, ?)")
                .execute(arguments: [placeKey.stored, d.category, e.place.standardAddressID, e.place.gridCode])
            incidentID = db.lastInsertedRowID
        }
        if let placeKey, let compound = placeKey.compoundOfBuilding {
            // A coarse incident (its compound only) becomes the building a report names.
            try db.execute(sql: "UPDATE incident SET place_key = ? WHERE id = ? AND place_key = ?",
                           arguments: [placeKey.stored, incidentID, compound.stored])
        }
        try extendIncident(incidentID, source: d.source, reportedAt: d.reportedAt?.seconds, status: d.status)
        return incidentID
    }

    /// An `incident` row as `SELECT id, place_key, category, first_report, last_report` gives it.
    static func knownIncident(_ r: Row, isRepeatTarget: Bool) -> KnownIncident {
        KnownIncident(id: r[0], placeKey: IncidentPlaceKey(stored: r[1]), category: r[2],
                      firstReport: (r[3] as Int64?).map(Timestamp.init),
                      lastReport: (r[4] as Int64?).map(Timestamp.init), isRepeatTarget: isRepeatTarget)
    }

    /// Adds one new member event to an incident's figures: the same values `refreshIncident`
    /// computes over all its events, in a primary-key read and write instead of five
    /// aggregates over members (which made loading quadratic in an incident's size).
    func extendIncident(_ id: Int64, source: String, reportedAt: Int64?, status: EventStatus?) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT first_report, last_report, event_count, sources, is_open FROM incident WHERE id = ?"),
                                         arguments: [id]) else { return }
        var first: Int64? = row[0], last: Int64? = row[1]
        let count: Int64 = row[2]
        let stored: String = row[3]
        let isOpen = status?.isOpen ?? false
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

    /// The domain.class of a unified category (`HB.01.07` → `HB.01`): candidate incidents are
    /// fetched only within it, the one relation the linking rule accepts. Nil: no category,
    /// no candidate (only explicit repeats join).
    static func categoryClass(_ category: String?) -> String? {
        guard let category else { return nil }
        return category.split(separator: ".", omittingEmptySubsequences: false).prefix(2).joined(separator: ".")
    }

    /// SQL true for an event whose status is open (`EventStatus.isOpen`), generated from it.
    static let isOpenSQL = "status IN (" + EventStatus.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ",") + ")"

    /// Recomputes an incident's figures from its events.
    func refreshIncident(_ id: Int64) throws {
        try db.cachedStatement(sql: """
            UPDATE incident SET
                first_report = (SELECT min(reported_at) FROM event WHERE incident_id = ?1),
                last_report = (SELECT max(reported_at) FROM event WHERE incident_id = ?1),
                event_count = (SELECT count(*) FROM event WHERE incident_id = ?1),
                sources = (SELECT group_concat(source, ',') FROM (SELECT DISTINCT source FROM event WHERE incident_id = ?1 ORDER BY source)),
                is_open = (SELECT coalesce(max(\(Self.isOpenSQL)), 0) FROM event WHERE incident_id = ?1)
            WHERE id = ?1
            """).execute(arguments: [id])
    }
}
