import GRDB
import GRDBSQLite
import OneGridModel

/// How the people columns of event blocks are read from the party table: masked display
/// forms or keyed tokens. (Clear values come from the sealed payloads, which only the
/// caller can open.)
public enum PartyForm: Sendable {
    case masked
    case token
}

extension TableReader {
    /// Cells per row of an event block: id, source, source key, category, nature, status,
    /// reported, dispatched and closed times, handling unit, satisfaction, repeat flag,
    /// grid, community, street and district codes, place id, incident id, people, phones, ids,
    /// title (masked as stored), channel, urgency, headcount, place match method and confidence.
    public static let eventBlockColumns = 27

    /// Streams the events `filter` keeps (their current versions), in id order, as blocks of
    /// up to `blockRows` rows of `eventBlockColumns` cells; `emit` takes the block and leaves
    /// an empty one. The people columns come from the party table in `parties` form, or,
    /// when `parties` is nil, from `clearPeople`, which appends the three cells of one event.
    /// Only SQLite and byte copies happen here, so a reading thread stays as short as it can.
    /// Returns the names of the filters applied.
    ///
    /// Built for a million rows a second: one pass over `event` merged with one pass over
    /// `event_party` (`PartyCursor`), columns read as SQLite's own bytes into the block.
    public func eventBlocks(_ filter: ExportFilter, blockRows: Int, parties: PartyForm?,
                            clearPeople: (EventVersionKey, inout RowBlock) throws -> Void,
                            emit: (inout RowBlock) throws -> Void) throws -> Set<String> {
        let clause = filter.clause(.event("e"))
        let statement = try db.makeStatement(sql: """
            SELECT e.id, e.source, e.source_key, e.category, e.nature, e.status, e.reported_at, e.dispatched_at,
                   e.closed_at, e.handling_unit, e.satisfaction, e.is_repeat, e.grid_code, e.community_code,
                   e.street_code, e.district_code, e.place_id, e.incident_id, e.content_hash,
                   e.title, e.channel, e.urgency, e.headcount, e.match_method, e.match_confidence
            FROM event e
            WHERE \(clause.sql)
            ORDER BY e.id
            """)
        try statement.setArguments(clause.arguments)
        var partyCursor = try parties.map { try PartyCursor(db, form: $0) }
        var people = PeopleText()
        var block = RowBlock(columns: Self.eventBlockColumns, capacity: blockRows)
        let s = statement.sqliteStatement
        while try SQLiteRow.step(s, db) {
            let id = sqlite3_column_int64(s, 0)
            block.appendInteger(id)
            for column in Int32(1)...5 { block.appendText(SQLiteRow.text(s, column)) }
            for column in Int32(6)...8 { block.appendTimestamp(SQLiteRow.int(s, column)) }
            block.appendText(SQLiteRow.text(s, 9))
            block.appendText(SQLiteRow.text(s, 10))
            block.appendInteger(sqlite3_column_int64(s, 11))
            for column in Int32(12)...15 { block.appendText(SQLiteRow.text(s, column)) }
            block.appendInteger(SQLiteRow.int(s, 16))
            block.appendInteger(SQLiteRow.int(s, 17))
            if partyCursor != nil {
                try partyCursor!.collect(eventID: id, into: &people)
                people.append(to: &block)
            } else {
                let key = EventVersionKey(eventID: id, contentHash: SQLiteRow.string(s, 18) ?? "",
                                          source: SQLiteRow.string(s, 1) ?? "", sourceKey: SQLiteRow.string(s, 2) ?? "")
                try clearPeople(key, &block)
            }
            for column in Int32(19)...21 { block.appendText(SQLiteRow.text(s, column)) }
            block.appendInteger(SQLiteRow.int(s, 22))
            block.appendText(SQLiteRow.text(s, 23))
            if sqlite3_column_type(s, 24) == SQLITE_NULL { block.appendNull() } else { block.appendReal(sqlite3_column_double(s, 24)) }
            if block.rowCount == blockRows { try emit(&block) }
        }
        if block.rowCount > 0 { try emit(&block) }
        return clause.applied
    }

    /// The display text of the places of the events `filter` keeps (all places when it
    /// keeps all): the standard address, else the place's text, by place id.
    public func placeTexts(_ filter: ExportFilter) throws -> IDTexts {
        let clause = filter.clause(.event("e"))
        return try IDTexts(db, bounds: "SELECT count(*), max(id) FROM place", sql: """
            SELECT p.id, coalesce(sa.address, p.text) FROM place p LEFT JOIN std_address sa ON sa.id = p.std_address_id
            \(clause.applied.isEmpty ? "" : "WHERE p.id IN (SELECT e.place_id FROM event e WHERE \(clause.sql))")
            """, arguments: clause.applied.isEmpty ? [] : clause.arguments, columns: 1)
    }
}

/// Text columns of a table's rows loaded once into one arena and looked up by integer id:
/// the display text of places (standard address, else text) and the masked forms of
/// people. A join per event costs a B-tree seek or two; this costs one array read. Ids
/// are mostly dense (`INTEGER PRIMARY KEY`), else a dictionary holds them.
public struct IDTexts: Sendable {
    private var arena: [UInt8] = []
    /// Per id, `columns` pairs of start and end in `arena`; start −1 for null.
    private var dense: [Int32] = []
    private var sparse: [Int64: Int] = [:]
    private var sparseRanges: [Int32] = []
    let columns: Int

    /// Runs `sql`, whose first column is the id and the next `columns` are texts; `bounds`
    /// gives `count(*)` and `max(id)` of the table, to size the id index.
    init(_ db: Database, bounds: String, sql: String, arguments: StatementArguments = [], columns: Int) throws {
        self.columns = columns
        let row = try Row.fetchOne(db, sql: bounds)!
        let count: Int64 = row[0] ?? 0
        let maxID: Int64 = row[1] ?? 0
        let isDense = maxID <= 4 * count + 65_536
        if isDense { dense = Array(repeating: -1, count: (Int(maxID) + 1) * columns * 2) }
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let s = statement.sqliteStatement
        var ranges = Array(repeating: Int32(-1), count: columns * 2)
        while try SQLiteRow.step(s, db) {
            let id = sqlite3_column_int64(s, 0)
            for column in 0..<columns {
                if let text = SQLiteRow.text(s, Int32(column + 1)) {
                    ranges[2 * column] = Int32(arena.count)
                    arena.append(contentsOf: text)
                    ranges[2 * column + 1] = Int32(arena.count)
                } else {
                    ranges[2 * column] = -1
                }
            }
            if isDense, id >= 0 {
                dense.replaceSubrange(Int(id) * columns * 2..<(Int(id) + 1) * columns * 2, with: ranges)
            } else {
                sparse[id] = sparseRanges.count
                sparseRanges.append(contentsOf: ranges)
            }
        }
    }

    /// Calls `body` with the bytes of `column` of row `id` (nil when null or no such row).
    @inline(__always)
    func withText<T>(_ id: Int64?, column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        var start: Int32 = -1
        var end: Int32 = -1
        if let id {
            let stride = columns * 2
            if id >= 0 && Int(id) < dense.count / stride {
                start = dense[Int(id) * stride + 2 * column]
                end = dense[Int(id) * stride + 2 * column + 1]
            } else if let at = sparse[id] {
                start = sparseRanges[at + 2 * column]
                end = sparseRanges[at + 2 * column + 1]
            }
        }
        guard start >= 0 else { return body(nil) }
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(end)])) }
    }

    /// Appends `column` of row `id` as a text cell (null when null or no such row).
    public func append(_ id: Int64?, column: Int = 0, to block: inout RowBlock) {
        withText(id, column: column) { block.appendText($0) }
    }
}

/// Column access on a raw SQLite statement that GRDB prepared: text as SQLite's own bytes
/// (valid until the next step), integers with NULL as nil.
enum SQLiteRow {
    /// Steps `statement`: true on a row, false when done; throws SQLite's error otherwise.
    static func step(_ statement: SQLiteStatement, _ db: Database) throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    @inline(__always)
    static func text(_ statement: SQLiteStatement, _ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column)))
    }

    @inline(__always)
    static func int(_ statement: SQLiteStatement, _ column: Int32) -> Int64? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }

    static func string(_ statement: SQLiteStatement, _ column: Int32) -> String? {
        text(statement, column).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// The people columns of one event being built: `role:value` entries joined by `; `, in
/// party order (entries without a value left out, an empty column null), as the export's
/// clear people are joined.
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

/// The parties of events in masked or token form, read by one statement in
/// `(event_id, ordinal)` order and merged with the caller's events in id order: one pass
/// instead of a query per event. When the events skip far ahead (a filter), the statement
/// restarts at the next event instead of reading the parties in between. Masked forms of
/// people are loaded into memory once (short, and a join would seek once per party);
/// tokens are joined, as a million people's tokens would not fit the memory budget.
struct PartyCursor {
    private let statement: Statement
    private let db: Database
    private let masked: IDTexts?
    private var started = false
    private var hasRow = false
    /// `event_id` of the current row while `hasRow`.
    private var current: Int64 = 0

    /// Events further ahead than this restart the statement instead of stepping.
    static let restartGap: Int64 = 64

    init(_ db: Database, form: PartyForm) throws {
        self.db = db
        switch form {
        case .masked:
            masked = try IDTexts(db, bounds: "SELECT count(*), max(id) FROM person",
                                 sql: "SELECT id, masked_name, masked_phone, masked_id FROM person", columns: 3)
            statement = try db.makeStatement(sql: """
                SELECT ep.event_id, ep.role, ep.person_id, ep.masked_name FROM event_party ep
                WHERE ep.event_id >= ? ORDER BY ep.event_id, ep.ordinal
                """)
        case .token:
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
