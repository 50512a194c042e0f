import GRDB

/// What the loader made of one event: its grid, incident and whether it is voided.
public struct EventLink: Sendable, Hashable, Codable, FetchableRecord {
    public var source: String
    public var sourceKey: String
    public var gridCode: String?
    public var incidentID: Int64?
    public var isVoided: Bool

    enum CodingKeys: String, CodingKey {
        case source
        case sourceKey = "source_key", gridCode = "grid_code", incidentID = "incident_id", isVoided = "is_voided"
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
            let events = try EventLink.fetchCursor(db, sql: "SELECT source, source_key, grid_code, incident_id, is_voided FROM event")
            while let e = try events.next() { try event(e) }
            let parties = try PartyLink.fetchCursor(db, sql: """
                SELECT e.source, e.source_key, p.ordinal, p.person_id FROM event_party p JOIN event e ON e.id = p.event_id
                """)
            while let p = try parties.next() { try party(p) }
        }
    }
}
