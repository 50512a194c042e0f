import GRDB

/// What the loader made of one event: its grid, incident and whether it is voided, and the
/// facts a miss is classed by (category, report time, matched standard address, link rule).
public struct EventLink: Sendable, Hashable, Codable, FetchableRecord {
    public var source: String
    public var sourceKey: String
    public var gridCode: String?
    public var incidentID: Int64?
    public var isVoided: Bool
    public var category: String?
    public var reportedAt: Int64?
    public var standardAddressID: String?
    /// `event.incident_rule`: how it joined its incident (nil for the founding event).
    public var incidentRule: String?

    enum CodingKeys: String, CodingKey {
        case source, category
        case sourceKey = "source_key", gridCode = "grid_code", incidentID = "incident_id", isVoided = "is_voided"
        case reportedAt = "reported_at", standardAddressID = "std_address_id", incidentRule = "incident_rule"
    }
}

/// Which person one party mention of an event was linked to.
public struct PartyLink: Sendable, Hashable, Codable, FetchableRecord {
    public var source: String
    public var sourceKey: String
    public var ordinal: Int
    public var personID: Int64?

    enum CodingKeys: String, CodingKey {
        case source, ordinal
        case sourceKey = "source_key", personID = "person_id"
    }
}

extension Warehouse {
    /// Walks every event's links, then every party's, for scoring resolution.
    public func forEachLink(event: (EventLink) throws -> Void, party: (PartyLink) throws -> Void) throws {
        try read { db in
            let events = try EventLink.fetchCursor(db, sql: """
                SELECT e.source, e.source_key, e.grid_code, e.incident_id, e.is_voided, e.category, e.reported_at,
                       p.std_address_id, e.incident_rule
                FROM event e LEFT JOIN place p ON p.id = e.place_id
                """)
            while let e = try events.next() { try event(e) }
            let parties = try PartyLink.fetchCursor(db, sql: """
                SELECT e.source, e.source_key, p.ordinal, p.person_id FROM event_party p JOIN event e ON e.id = p.event_id
                """)
            while let p = try parties.next() { try party(p) }
        }
    }
}

/// Why an incident's events were joined, summed up for `export incidents`: each rule with how
/// many events joined by it, the weakest link's score and the category relations met. The
/// founding event has no link and is not counted.
public struct IncidentEvidenceSummary: Sendable, Hashable {
    /// `rule×count`, by rule name, comma-separated (`explicit_repeat×1,specific_place×2`).
    public var rules: String
    /// The lowest `event.incident_score` among its links; nil when no event joined it.
    public var weakestScore: Double?
    /// The category relations of its links (`sameClass,related`), by name.
    public var categories: String
}

extension TableReader {
    /// The evidence of incident `id`'s links (`event.incident_rule`, `incident_score`,
    /// `incident_category`), by the `event_incident` index.
    public func incidentEvidence(id: Int64) throws -> IncidentEvidenceSummary {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT incident_rule, count(*), min(incident_score), group_concat(DISTINCT incident_category)
            FROM event WHERE incident_id = ? AND incident_rule IS NOT NULL GROUP BY incident_rule ORDER BY incident_rule
            """), arguments: [id])
        var rules: [String] = [], weakest: Double? = nil, categories = Set<String>()
        for r in rows {
            let rule: String = r[0], count: Int64 = r[1]
            rules.append("\(rule)×\(count)")
            if let score: Double = r[2] { weakest = min(weakest ?? score, score) }
            if let relations: String = r[3] { categories.formUnion(relations.split(separator: ",").map(String.init)) }
        }
        return IncidentEvidenceSummary(rules: rules.joined(separator: ","), weakestScore: weakest,
                                       categories: categories.sorted().joined(separator: ","))
    }
}
