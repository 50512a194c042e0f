import Foundation
import GRDB
import OneGridModel
import OneGridPrivacy

/// Renders the people of events and the person table at the chosen PII level: masked
/// forms, keyed tokens, or clear values opened from sealed current-version payloads.
final class PIIRenderer {
    let level: PIILevel
    private let sealer: RecordSealer?
    private let tokenizer: PersonTokenizer?
    private let decoder = JSONDecoder()

    /// People of one event: `role:value` entries joined by `; `, in party order.
    struct People {
        var names: ExportValue
        var phones: ExportValue
        var ids: ExportValue
    }

    init(level: PIILevel, key: PIIKey?) throws(ExportError) {
        self.level = level
        if level == .clear {
            guard let key else { throw .clearNeedsKey }
            sealer = RecordSealer(key: key)
            tokenizer = PersonTokenizer(key: key)
        } else {
            sealer = nil
            tokenizer = nil
        }
    }

    static func joined(_ entries: [(String, String?)]) -> ExportValue {
        let parts = entries.compactMap { role, value in value.flatMap { $0.isEmpty ? nil : "\(role):\($0)" } }
        return parts.isEmpty ? .null : .string(parts.joined(separator: "; "))
    }

    func people(_ db: Database, eventID: Int64, contentHash: String, source: String, sourceKey: String) throws -> People {
        if level == .clear {
            let draft = try currentDraft(db, eventID: eventID, contentHash: contentHash, source: source, sourceKey: sourceKey)
            let parties = draft.parties
            return People(names: Self.joined(parties.map { ($0.role, $0.name) }),
                          phones: Self.joined(parties.map { ($0.role, $0.phone?.value) }),
                          ids: Self.joined(parties.map { ($0.role, $0.idNumber?.value) }))
        }
        let statement = try db.cachedStatement(sql: """
            SELECT ep.role, ep.masked_name, p.masked_name, p.masked_phone, p.masked_id,
                   p.id_token, p.phone_token, p.name_phone_token, ep.worker_id
            FROM event_party ep LEFT JOIN person p ON p.id = ep.person_id
            WHERE ep.event_id = ? ORDER BY ep.ordinal
            """)
        var names: [(String, String?)] = []
        var phones: [(String, String?)] = []
        var ids: [(String, String?)] = []
        let rows = try Row.fetchCursor(statement, arguments: [eventID])
        while let row = try rows.next() {
            let role: String = row[0]
            if level == .token {
                let idToken: String? = row[5]
                let phoneToken: String? = row[6]
                let namePhone: String? = row[7]
                let worker: String? = row[8]
                names.append((role, idToken ?? namePhone ?? phoneToken ?? worker.map { "worker:\($0)" }))
                phones.append((role, phoneToken))
                ids.append((role, idToken))
            } else {
                names.append((role, (row[2] as String?) ?? (row[1] as String?)))
                phones.append((role, row[3]))
                ids.append((role, row[4]))
            }
        }
        return People(names: Self.joined(names), phones: Self.joined(phones), ids: Self.joined(ids))
    }

    /// Name, ID number and phone of a person at this level.
    func person(_ db: Database, id: Int64, row: Row) throws -> (name: ExportValue, idNumber: ExportValue, phone: ExportValue) {
        let idToken: String? = row["id_token"]
        let phoneToken: String? = row["phone_token"]
        let namePhone: String? = row["name_phone_token"]
        switch level {
        case .masked:
            return (.string(row["masked_name"] as String?), .string(row["masked_id"] as String?), .string(row["masked_phone"] as String?))
        case .token:
            return (.string(idToken ?? namePhone ?? phoneToken), .string(idToken), .string(phoneToken))
        case .clear:
            guard let tokenizer else { throw ExportError.clearNeedsKey }
            // Any event naming the person carries their clear values in its payload; the
            // party is recognised by recomputing its tokens.
            let links = try Row.fetchAll(db, sql: """
                SELECT e.id, e.content_hash, e.source, e.source_key FROM event_party ep JOIN event e ON e.id = ep.event_id
                WHERE ep.person_id = ? ORDER BY e.id LIMIT 20
                """, arguments: [id])
            for link in links {
                let draft = try currentDraft(db, eventID: link[0], contentHash: link[1], source: link[2], sourceKey: link[3])
                for party in draft.parties {
                    let keys = tokenizer.keys(for: party)
                    let same = (idToken != nil && keys.idToken == idToken)
                        || (idToken == nil && namePhone != nil && keys.namePhoneToken == namePhone)
                        || (idToken == nil && namePhone == nil && phoneToken != nil && keys.phoneToken == phoneToken)
                    if same {
                        return (.string(party.name), .string(party.idNumber?.value), .string(party.phone?.value))
                    }
                }
            }
            throw ExportError.clearPersonNotFound(personID: id)
        }
    }

    /// The clear text of a sealed reject record.
    func openRaw(_ blob: [UInt8], feed: String, rejectID: Int64) throws -> ExportValue {
        guard level == .clear, let sealer else { return .null }
        do {
            return .string(String(decoding: try sealer.open(blob), as: UTF8.self))
        } catch {
            throw ExportError.clearPayloadUnreadable(source: feed, sourceKey: "reject \(rejectID)")
        }
    }

    private func currentDraft(_ db: Database, eventID: Int64, contentHash: String, source: String, sourceKey: String) throws -> EventDraft {
        guard let sealer else { throw ExportError.clearNeedsKey }
        let statement = try db.cachedStatement(sql: "SELECT payload FROM event_version WHERE event_id = ? AND content_hash = ?")
        guard let blob = try Data.fetchOne(statement, arguments: [eventID, contentHash]), !blob.isEmpty else {
            throw ExportError.clearPayloadMissing(source: source, sourceKey: sourceKey)
        }
        do {
            let json = try sealer.open(Array(blob))
            return try decoder.decode(EventDraft.self, from: Data(json))
        } catch {
            throw ExportError.clearPayloadUnreadable(source: source, sourceKey: sourceKey)
        }
    }
}
