import GRDB
import OneGridModel

/// Finds or creates the one `person` row of a real person, from tokens only.
struct PersonStore {
    let db: Database

    /// The person of a party: the one `rule` picks among the persons sharing any of its
    /// tokens (enriched with the tokens it lacked), else a new one. The persons `absorb` names
    /// are merged into the one picked: their parties and roster rows move to it, then they go.
    /// With `lookUp` false the caller knows no person shares a token (`FileLoad.personMayExist`):
    /// the rule gets no candidates without the query.
    func link(_ keys: PersonKeys, rule: (PersonKeys, [KnownPerson]) -> Int64?,
              absorb: ((PersonKeys, Int64, [KnownPerson]) -> [Int64])? = nil, lookUp: Bool = true) throws -> Int64? {
        guard keys.isLinkable else { return nil }
        let rows = try !lookUp ? [] : Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, id_token, phone_token, name_phone_token FROM person
            WHERE id_token = ?1 OR phone_token = ?2 OR name_phone_token = ?3
            """), arguments: [keys.idToken, keys.phoneToken, keys.namePhoneToken])
        let candidates = rows.map { r in
            KnownPerson(id: r[0], keys: PersonKeys(idToken: r[1], phoneToken: r[2], namePhoneToken: r[3]))
        }
        if let id = rule(keys, candidates) {
            // Enrich the person with tokens it lacked (a caller who later gives an ID).
            try db.cachedStatement(sql: """
                UPDATE person SET
                    id_token = coalesce(id_token, ?2), phone_token = coalesce(phone_token, ?3),
                    name_phone_token = coalesce(name_phone_token, ?4), masked_name = coalesce(masked_name, ?5),
                    masked_id = coalesce(masked_id, ?6), masked_phone = coalesce(masked_phone, ?7)
                WHERE id = ?1 AND (id_token IS NULL OR ?2 IS NULL OR id_token = ?2)
                    AND (?2 IS NULL OR NOT EXISTS (SELECT 1 FROM person WHERE id_token = ?2 AND id != ?1))
                """).execute(arguments: [id, keys.idToken, keys.phoneToken, keys.namePhoneToken, keys.maskedName,
                                         keys.maskedID, keys.maskedPhone])
            for other in absorb?(keys, id, candidates) ?? [] where other != id {
                try merge(other, into: id)
            }
            return id
        }
        try db.cachedStatement(sql: """
            INSERT INTO person (id_token, phone_token, name_phone_token, masked_name, masked_id, masked_phone)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [keys.idToken, keys.phoneToken, keys.namePhoneToken, keys.maskedName, keys.maskedID, keys.maskedPhone])
        return db.lastInsertedRowID
    }

    /// Moves everything of person `other` to person `id` and deletes `other`.
    func merge(_ other: Int64, into id: Int64) throws {
        try db.cachedStatement(sql: "UPDATE event_party SET person_id = ?1 WHERE person_id = ?2").execute(arguments: [id, other])
        try db.cachedStatement(sql: "UPDATE worker SET person_id = ?1 WHERE person_id = ?2").execute(arguments: [id, other])
        try db.cachedStatement(sql: """
            UPDATE person SET
                phone_token = coalesce(phone_token, (SELECT phone_token FROM person WHERE id = ?2)),
                name_phone_token = coalesce(name_phone_token, (SELECT name_phone_token FROM person WHERE id = ?2)),
                masked_name = coalesce(masked_name, (SELECT masked_name FROM person WHERE id = ?2)),
                masked_phone = coalesce(masked_phone, (SELECT masked_phone FROM person WHERE id = ?2))
            WHERE id = ?1
            """).execute(arguments: [id, other])
        try db.cachedStatement(sql: "DELETE FROM person WHERE id = ?").execute(arguments: [other])
    }
}
