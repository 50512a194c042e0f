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
        let id = try PersonStore(db: db).link(keys, rule: rules.person, absorb: rules.personAbsorbs,
                                              lookUp: try personMayExist(keys))
        personWritten(keys)
        return id
    }

    func linkIncident(_ e: ResolvedEvent, eventID: Int64) throws {
        guard let incident = try incident(for: e) else { return }
        try db.cachedStatement(sql: """
            UPDATE event SET incident_id = ?, incident_rule = ?, incident_score = ?, incident_category = ? WHERE id = ?
            """).execute(arguments: [incident.id, incident.link?.rule, incident.link?.score, incident.link?.categoryRelation, eventID])
    }

    /// What the linking rule reads of an incident (`knownIncident`): its row and its signals,
    /// with the FROM clause.
    static let incidentColumns = """
        i.id, i.place_key, i.category, i.first_report, i.last_report, i.sources, coalesce(s.people, ''), coalesce(s.terms, '')
        FROM incident i LEFT JOIN incident_signal s ON s.incident_id = i.id
        """

    /// The incident an event belongs to and the evidence it joined on (nil when it founded
    /// it), by the linking rule among the incidents at its place within the window (or the one
    /// it repeats), else a new one; its figures are extended by the event. Nil for voided
    /// events and events without a place key.
    func incident(for e: ResolvedEvent) throws -> (id: Int64, link: IncidentLink?)? {
        let d = e.draft
        guard !d.isVoided else { return nil }
        let placeKey = e.place.incidentPlaceKey
            ?? IncidentPlaceKey(standardAddressID: e.place.standardAddressID, compoundKey: e.place.compoundKey)
        var facts = IncidentFacts(source: d.source, sourceKey: d.sourceKey, placeKey: placeKey, category: d.category,
                                  reportedAt: d.reportedAt, repeatOf: d.repeatOf)
        facts.people = Self.raisers(of: e)
        facts.terms = rules.incidentTerms(d)
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
        if let placeKey, try incidentMayExist(at: placeKey) {
            let at = d.reportedAt?.seconds ?? 0
            // The keys it may meet besides itself: a building's compound, a compound's
            // buildings. Any category: the rule decides which are compatible.
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.incidentColumns)
                WHERE (i.place_key = ?1 OR i.place_key = ?2 OR (i.place_key >= ?3 AND i.place_key < ?3 || x'F4'))
                    AND i.last_report >= ?4 AND i.first_report <= ?5
                """), arguments: [placeKey.stored, placeKey.compoundOfBuilding?.stored, placeKey.storedBuildingPrefix,
                                  at - rules.incidentWindow, at + rules.incidentWindow])
            candidates = rows.map { Self.knownIncident($0, isRepeatTarget: $0[0] == repeatIncident) }
        }
        if let repeatIncident, !candidates.contains(where: { $0.id == repeatIncident }),
           let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.incidentColumns) WHERE i.id = ?"),
                                    arguments: [repeatIncident]) {
            candidates.append(Self.knownIncident(r, isRepeatTarget: true))
        }
        let link = rules.incident(facts, candidates)
        let incidentID: Int64
        if let link {
            incidentID = link.incidentID
            if let placeKey, let compound = placeKey.compoundOfBuilding {
                // A coarse incident (its compound only) becomes the building a report names.
                try db.cachedStatement(sql: "UPDATE incident SET place_key = ? WHERE id = ? AND place_key = ?")
                    .execute(arguments: [placeKey.stored, incidentID, compound.stored])
                incidentKeyWritten(placeKey.stored)
            }
            try extendIncident(incidentID, with: facts, status: d.status)
        } else {
            guard let placeKey else { return nil }
            try db.cachedStatement(sql: "INSERT INTO incident (place_key, category, std_address_id, grid_code) VALUES (?, ?, ?, ?)")
                .execute(arguments: [placeKey.stored, d.category, e.place.standardAddressID, e.place.gridCode])
            incidentID = db.lastInsertedRowID
            incidentKeyWritten(placeKey.stored)
            // The row just written, as `extendIncident` would read it back (column defaults):
            // it already has the building key, so there is nothing to re-key.
            try extendIncident(incidentID, with: facts, status: d.status,
                               current: IncidentFigures(first: nil, last: nil, count: 0, sources: "", isOpen: true,
                                                        people: "", terms: "", category: d.category))
        }
        return (incidentID, link)
    }

    /// An incident's figures and signals as `extendIncident` reads and writes them.
    struct IncidentFigures {
        var first: Int64?, last: Int64?
        var count: Int64
        var sources: String
        var isOpen: Bool
        var people: String, terms: String
        var category: String?
    }

    /// The people who raised a report, as person tokens: its parties without a worker id (the
    /// grid worker or inspector who recorded it appears on every matter of the grid) — and
    /// those recorders, as `recorderPrefix` + worker id, which the rule reads apart (a worker
    /// following up a ticket of their own is one matter only within one feed).
    static func raisers(of e: ResolvedEvent) -> Set<String> {
        var out = Set<String>()
        for (party, keys) in zip(e.draft.parties, e.people) {
            if let worker = party.workerID {
                out.insert(IncidentFacts.recorderPrefix + worker)
                continue
            }
            for token in [keys.idToken, keys.phoneToken, keys.namePhoneToken] { if let token { out.insert(token) } }
        }
        return out
    }

    /// An `incident` row as `SELECT incidentColumns` gives it.
    static func knownIncident(_ r: Row, isRepeatTarget: Bool) -> KnownIncident {
        var k = KnownIncident(id: r[0], placeKey: IncidentPlaceKey(stored: r[1]), category: r[2],
                              firstReport: (r[3] as Int64?).map(Timestamp.init),
                              lastReport: (r[4] as Int64?).map(Timestamp.init), isRepeatTarget: isRepeatTarget)
        k.sources = Self.words(r[5], separator: ",")
        k.people = Self.words(r[6], separator: " ")
        k.terms = r[7]
        return k
    }

    static func words(_ text: String, separator: Character) -> Set<String> {
        Set(text.split(separator: separator).map(String.init))
    }

    /// How many people an incident remembers (a long-running matter stays small).
    static let peopleLimit = 64

    /// Adds one new member event to an incident's figures, people, terms and category: the
    /// figures `refreshIncident` computes over all its events, in a primary-key read and write
    /// instead of aggregates over members (which made loading quadratic in an incident's size).
    /// `current`: the incident's figures when the caller knows them (one it has just written),
    /// else they are read.
    func extendIncident(_ id: Int64, with facts: IncidentFacts, status: EventStatus?, current: IncidentFigures? = nil) throws {
        let row: IncidentFigures
        if let current {
            row = current
        } else {
            guard let r = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT i.first_report, i.last_report, i.event_count, i.sources, i.is_open, coalesce(s.people, ''),
                    coalesce(s.terms, ''), i.category
                FROM incident i LEFT JOIN incident_signal s ON s.incident_id = i.id WHERE i.id = ?
                """), arguments: [id]) else { return }
            row = IncidentFigures(first: r[0], last: r[1], count: r[2], sources: r[3], isOpen: r[4], people: r[5], terms: r[6],
                                  category: r[7])
        }
        var first = row.first, last = row.last
        let count = row.count
        let stored = row.sources
        let isOpen = status?.isOpen ?? false
        if let at = facts.reportedAt?.seconds {
            first = min(first ?? at, at)
            last = max(last ?? at, at)
        }
        var sources = count == 0 ? [] : stored.split(separator: ",").map(String.init)
        if !sources.contains(facts.source) { sources = (sources + [facts.source]).sorted() }
        let open = count == 0 ? isOpen : row.isOpen || isOpen
        let people = Self.words(row.people, separator: " ").union(facts.people).sorted().prefix(Self.peopleLimit).joined(separator: " ")
        let storedTerms = row.terms, storedCategory = row.category
        let terms = count == 0 ? facts.terms : rules.mergedTerms(storedTerms, facts.terms)
        let category = count == 0 ? storedCategory : rules.incidentCategory(storedCategory, facts.category)
        try db.cachedStatement(sql: """
            UPDATE incident SET first_report = ?, last_report = ?, event_count = ?, sources = ?, is_open = ?, category = ? WHERE id = ?
            """).execute(arguments: [first, last, count + 1, sources.joined(separator: ","), open, category, id])
        try db.cachedStatement(sql: """
            INSERT INTO incident_signal (incident_id, people, terms) VALUES (?, ?, ?)
            ON CONFLICT(incident_id) DO UPDATE SET people = excluded.people, terms = excluded.terms
            """).execute(arguments: [id, people, terms])
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

extension IncidentFacts {
    /// Marks a recorder's worker id among `people` (`FileLoad.raisers(of:)`): the rule reads
    /// recorders apart from the people who raised a matter, and the stored signal keeps both
    /// in one column.
    public static let recorderPrefix = "recorder:"
}
