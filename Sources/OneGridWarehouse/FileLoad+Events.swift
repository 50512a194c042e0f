import Foundation
import GRDB
import OneGridModel

/// Event writing: the event row, its parties and steps, and the findings of its record.
extension FileLoad {
    /// The event columns `writeEvent` fills, after `source, source_key`; the statements are
    /// built once, not per record.
    static let eventColumns = [
        "version_at", "version_rank", "content_hash", "category", "source_category", "source_category_code", "nature",
        "channel", "urgency", "status", "source_status", "title", "content", "handling_unit", "result", "satisfaction",
        "is_repeat", "repeat_of", "reported_at", "dispatched_at", "closed_at", "headcount", "self_resolved", "is_voided",
        "given_grid_code", "grid_code", "community_code", "street_code", "district_code", "place_id", "match_method",
        "match_confidence", "grid_conflict", "source_file_id", "line",
    ]
    /// The incident and the evidence of the link, written with a new event (see `IncidentLink`).
    static let linkColumns = ["incident_id", "incident_rule", "incident_score", "incident_category"]
    static let insertEventSQL = "INSERT INTO event (source, source_key, \((eventColumns + linkColumns).joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: eventColumns.count + 2 + linkColumns.count).joined(separator: ", ") + ")"
    static let updateEventSQL = "UPDATE event SET \(eventColumns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    @discardableResult
    func writeEvent(_ e: ResolvedEvent, rank: String, placeID: Int64?, updating: Int64?,
                    incident: (id: Int64, link: IncidentLink?)? = nil) throws -> Int64 {
        let d = e.draft
        let p = e.place
        // In the order of `eventColumns`.
        var values: [DatabaseValue] = []
        values.reserveCapacity(Self.eventColumns.count + 2 + Self.linkColumns.count)
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
        values.append(incident?.id.databaseValue ?? .null)
        values.append(incident?.link?.rule.databaseValue ?? .null)
        values.append(incident?.link?.score.databaseValue ?? .null)
        values.append(incident?.link?.categoryRelation?.databaseValue ?? .null)
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

    func recordFindings(_ findings: [Finding], line: Int) throws {
        for f in findings {
            try db.cachedStatement(sql: "INSERT INTO finding (source_file_id, line, field, code, message) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [fileID, line, f.field, f.code, f.message])
            if f.code == RejectReason.unmappedValue.code, let value = f.rawValue {
                try db.cachedStatement(sql: """
                    INSERT INTO unmapped_value (feed, field, value, occurrences, first_file_id) VALUES (?, ?, ?, 1, ?)
                    ON CONFLICT(feed, field, value) DO UPDATE SET occurrences = occurrences + 1
                    """).execute(arguments: [feed, f.field, value, fileID])
            }
        }
    }
}
