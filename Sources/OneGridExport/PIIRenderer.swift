import Foundation
import GRDB
import GRDBSQLite
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

    /// The people of one event at `.clear`, opened from its sealed current payload. The
    /// other levels read the party table in one pass instead (`PartyCursor`).
    func people(_ db: Database, eventID: Int64, contentHash: String, source: String, sourceKey: String) throws -> People {
        let draft = try currentDraft(db, eventID: eventID, contentHash: contentHash, source: source, sourceKey: sourceKey)
        let parties = draft.parties
        return People(names: Self.joined(parties.map { ($0.role, $0.name) }),
                      phones: Self.joined(parties.map { ($0.role, $0.phone?.value) }),
                      ids: Self.joined(parties.map { ($0.role, $0.idNumber?.value) }))
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

/// The people columns of one event being built: `role:value` entries joined by `; `, in
/// party order, as `PIIRenderer.joined` forms them (entries without a value left out, an
/// empty column null).
struct PeopleText {
    var names: [UInt8] = []
    var phones: [UInt8] = []
    var ids: [UInt8] = []

    mutating func removeAll() {
        names.removeAll(keepingCapacity: true)
        phones.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
    }

    static func add(role: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>?, prefix: String = "",
                    to column: inout [UInt8]) {
        guard let value, !value.isEmpty else { return }
        if !column.isEmpty { column.append(contentsOf: "; ".utf8) }
        column.append(contentsOf: role)
        column.append(UInt8(ascii: ":"))
        column.append(contentsOf: prefix.utf8)
        column.append(contentsOf: value)
    }

    func append(to block: inout RowBlock) {
        if names.isEmpty { block.appendNull() } else { block.appendText(names) }
        if phones.isEmpty { block.appendNull() } else { block.appendText(phones) }
        if ids.isEmpty { block.appendNull() } else { block.appendText(ids) }
    }
}

/// The parties of events at the `.masked` or `.token` level, read by one statement in
/// `(event_id, ordinal)` order and merged with the caller's events in id order: one pass
/// instead of a query per event. When the events skip far ahead (a filter), the statement
/// restarts at the next event instead of reading the parties in between. Masked forms of
/// people are loaded into memory once (short, and a join would seek once per party);
/// tokens are joined, as a million people's tokens would not fit the memory budget.
struct PartyCursor {
    private let statement: Statement
    private let db: Database
    private let level: PIILevel
    private let masked: IDTexts?
    private var started = false
    private var hasRow = false
    /// `event_id` of the current row while `hasRow`.
    private var current: Int64 = 0

    /// Events further ahead than this restart the statement instead of stepping.
    static let restartGap: Int64 = 64

    init(_ db: Database, level: PIILevel) throws {
        precondition(level != .clear, "clear values come from the payloads")
        self.db = db
        self.level = level
        if level == .masked {
            masked = try IDTexts(db, bounds: "SELECT count(*), max(id) FROM person",
                                 sql: "SELECT id, masked_name, masked_phone, masked_id FROM person", columns: 3)
            statement = try db.makeStatement(sql: """
                SELECT ep.event_id, ep.role, ep.person_id, ep.masked_name FROM event_party ep
                WHERE ep.event_id >= ? ORDER BY ep.event_id, ep.ordinal
                """)
        } else {
            masked = nil
            statement = try db.makeStatement(sql: """
                SELECT ep.event_id, ep.role, p.id_token, p.phone_token, p.name_phone_token, ep.worker_id
                FROM event_party ep LEFT JOIN person p ON p.id = ep.person_id
                WHERE ep.event_id >= ? ORDER BY ep.event_id, ep.ordinal
                """)
        }
    }

    /// Fills `people` with the parties of `eventID`; event ids must come in increasing order.
    mutating func collect(eventID: Int64, into people: inout PeopleText) throws {
        people.removeAll()
        if !started || (hasRow && eventID - current > Self.restartGap) {
            try restart(at: eventID)
        }
        let s = statement.sqliteStatement
        while hasRow && current < eventID { try advance() }
        while hasRow && current == eventID {
            let role = SQLiteRow.text(s, 1) ?? UnsafeBufferPointer(start: nil, count: 0)
            if let masked {
                let person = SQLiteRow.int(s, 2)
                masked.withText(person, column: 0) { name in
                    PeopleText.add(role: role, value: name ?? SQLiteRow.text(s, 3), to: &people.names)
                }
                masked.withText(person, column: 1) { PeopleText.add(role: role, value: $0, to: &people.phones) }
                masked.withText(person, column: 2) { PeopleText.add(role: role, value: $0, to: &people.ids) }
            } else {
                let idToken = SQLiteRow.text(s, 2)
                let phoneToken = SQLiteRow.text(s, 3)
                let namePhone = SQLiteRow.text(s, 4)
                if let name = idToken ?? namePhone ?? phoneToken {
                    PeopleText.add(role: role, value: name, to: &people.names)
                } else {
                    PeopleText.add(role: role, value: SQLiteRow.text(s, 5), prefix: "worker:", to: &people.names)
                }
                PeopleText.add(role: role, value: phoneToken, to: &people.phones)
                PeopleText.add(role: role, value: idToken, to: &people.ids)
            }
            try advance()
        }
    }

    private mutating func restart(at eventID: Int64) throws {
        started = true
        try statement.setArguments([eventID])
        try advance()
    }

    private mutating func advance() throws {
        hasRow = try SQLiteRow.step(statement.sqliteStatement, db)
        if hasRow { current = sqlite3_column_int64(statement.sqliteStatement, 0) }
    }
}
