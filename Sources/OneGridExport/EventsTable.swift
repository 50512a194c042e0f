import GRDB
import GRDBSQLite
import OneGridModel

/// `events`: one row per event (its current version), with its category levels, times,
/// places, divisions, incident and people.
///
/// Built for a million rows a second: one pass over `event` in id order merged with one
/// pass over `event_party` (`PartyCursor`), columns read as SQLite's own bytes, names
/// looked up in memory by those bytes, and rows filled into `RowBlock`s, never a `String`
/// per field. Only `--pii clear` opens each event's sealed payload.
enum EventsTable {
    static let columns: [ExportColumn] = [
        .init("event_id", "事件ID"), .init("source", "数据来源"), .init("source_key", "来源编号"),
        .init("domain_code", "一级分类编码"), .init("domain_name", "一级分类"),
        .init("class_code", "二级分类编码"), .init("class_name", "二级分类"),
        .init("subclass_code", "三级分类编码"), .init("subclass_name", "三级分类"),
        .init("nature", "诉求性质"), .init("status_code", "状态编码"), .init("status", "状态"),
        .init("reported_at", "上报时间"), .init("dispatched_at", "派单时间"), .init("closed_at", "办结时间"),
        .init("hours_to_close", "办结用时(小时)"), .init("handling_unit", "承办单位"), .init("satisfaction", "满意度"),
        .init("is_repeat", "是否重复件"),
        .init("grid_code", "网格编码"), .init("grid_name", "网格名称"),
        .init("community_code", "社区编码"), .init("community_name", "社区"),
        .init("street_code", "街道编码"), .init("street_name", "街道"),
        .init("district_code", "区编码"), .init("district_name", "区"),
        .init("place", "地点"), .init("incident_id", "关联事项ID"),
        .init("people", "当事人"), .init("people_phones", "联系电话"), .init("people_ids", "证件号码"),
    ]

    /// Rows per block handed to `emit`.
    static let blockRows = 1024

    /// Streams the rows to `emit` as values (for callers working on `ExportValue`s).
    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        try blocks(context) { block in
            for i in 0..<block.rowCount { try emit(block.row(i)) }
            block.removeAll()
        }
    }

    /// Streams the rows to `emit` in blocks of up to `blockRows`; `emit` takes the block
    /// and leaves an empty one (the same, emptied, or another). Returns the names of the
    /// filters that applied.
    static func blocks(_ context: TableContext, emit: (inout RowBlock) throws -> Void) throws -> Set<String> {
        let expansion = try EventExpansion(context)
        var block = RowBlock(columns: columns.count, capacity: blockRows)
        return try readBlocks(context) { read in
            expansion.expand(read, into: &block)
            read.removeAll()
            try emit(&block)
        }
    }

    /// Cells per row of a block as read (`readBlocks`), before `EventExpansion` adds the
    /// names: id, source, source key, category, nature, status, reported, dispatched and
    /// closed times, handling unit, satisfaction, repeat flag, grid, community, street and
    /// district codes, place id, incident id, people, phones, ids.
    static let readColumns = 21

    /// Streams the rows as read, `readColumns` cells each, in blocks of up to `blockRows`
    /// (`emit` as for `blocks`). Only SQLite and byte copies happen here, so the reading
    /// thread stays as short as it can; the look-ups by code are `EventExpansion`'s, on
    /// the writing thread when pipelined.
    static func readBlocks(_ context: TableContext, emit: (inout RowBlock) throws -> Void) throws -> Set<String> {
        let db = context.db
        let clause = context.filter.clause(.event("e"))
        let statement = try db.makeStatement(sql: """
            SELECT e.id, e.source, e.source_key, e.category, e.nature, e.status, e.reported_at, e.dispatched_at,
                   e.closed_at, e.handling_unit, e.satisfaction, e.is_repeat, e.grid_code, e.community_code,
                   e.street_code, e.district_code, e.place_id, e.incident_id, e.content_hash
            FROM event e
            WHERE \(clause.sql)
            ORDER BY e.id
            """)
        try statement.setArguments(clause.arguments)
        let pii = context.pii
        var parties = pii.level == .clear ? nil : try PartyCursor(db, level: pii.level)
        var people = PeopleText()
        var block = RowBlock(columns: readColumns, capacity: blockRows)
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
            if parties != nil {
                try parties!.collect(eventID: id, into: &people)
                people.append(to: &block)
            } else {
                let found = try pii.people(db, eventID: id, contentHash: SQLiteRow.string(s, 18) ?? "",
                                           source: SQLiteRow.string(s, 1) ?? "", sourceKey: SQLiteRow.string(s, 2) ?? "")
                block.append(found.names)
                block.append(found.phones)
                block.append(found.ids)
            }
            if block.rowCount == blockRows { try emit(&block) }
        }
        if block.rowCount > 0 { try emit(&block) }
        return clause.applied
    }
}

/// Turns blocks as read (`EventsTable.readBlocks`) into `EventsTable.columns`: the names
/// of category levels, status, satisfaction, grid and divisions and the text of places
/// looked up by code, and the hours to close computed. A value, so the writing thread can
/// do this while the reading one steps SQLite.
struct EventExpansion: Sendable {
    private let names: EventNames
    private let places: IDTexts

    init(_ context: TableContext) throws {
        let clause = context.filter.clause(.event("e"))
        names = EventNames(context.references)
        // The places of the events the filters keep (all places when they keep all).
        places = try IDTexts(context.db, bounds: "SELECT count(*), max(id) FROM place", sql: """
            SELECT p.id, coalesce(sa.address, p.text) FROM place p LEFT JOIN std_address sa ON sa.id = p.std_address_id
            \(clause.applied.isEmpty ? "" : "WHERE p.id IN (SELECT e.place_id FROM event e WHERE \(clause.sql))")
            """, arguments: clause.applied.isEmpty ? [] : clause.arguments, columns: 1)
    }

    /// Appends the rows of `read` to `block`, which has `EventsTable.columns`.
    func expand(_ read: borrowing RowBlock, into block: inout RowBlock) {
        read.bytes.withUnsafeBufferPointer { bytes in
            read.cells.withUnsafeBufferPointer { cells in
                @inline(__always) func text(_ cell: RowBlock.Cell) -> UnsafeBufferPointer<UInt8>? {
                    cell.kind == .text ? UnsafeBufferPointer(rebasing: bytes[cell.a..<cell.b]) : nil
                }
                var i = 0
                for _ in 0..<read.rowCount {
                    let row = UnsafeBufferPointer(rebasing: cells[i..<i + EventsTable.readColumns])
                    i += EventsTable.readColumns
                    block.append(row[0], from: bytes)
                    block.append(row[1], from: bytes)
                    block.append(row[2], from: bytes)
                    names.appendCategoryLevels(text(row[3]), to: &block)
                    block.append(row[4], from: bytes)
                    block.append(row[5], from: bytes)
                    names.status.appendName(text(row[5]), orCode: true, to: &block)
                    let reported = row[6]
                    let closed = row[8]
                    block.append(reported, from: bytes)
                    block.append(row[7], from: bytes)
                    block.append(closed, from: bytes)
                    if reported.kind == .timestamp, closed.kind == .timestamp, closed.a >= reported.a {
                        block.append(.real(Double(closed.a - reported.a) / 3600, places: 2))
                    } else {
                        block.appendNull()
                    }
                    block.append(row[9], from: bytes)
                    names.satisfaction.appendName(text(row[10]), orCode: true, to: &block)
                    block.append(row[11], from: bytes)
                    block.append(row[12], from: bytes)
                    names.grids.appendName(text(row[12]), to: &block)
                    for column in 13...15 {
                        block.append(row[column], from: bytes)
                        names.divisions.appendName(text(row[column]), to: &block)
                    }
                    let place = row[16]
                    places.append(place.kind == .integer ? Int64(place.a) : nil, to: &block)
                    for column in 17...20 { block.append(row[column], from: bytes) }
                }
            }
        }
    }
}

/// The names an events row looks up by code, as byte tables.
private struct EventNames: Sendable {
    let categories: NameTable
    let grids: NameTable
    let divisions: NameTable
    let status: NameTable
    let satisfaction: NameTable

    init(_ references: References) {
        categories = NameTable(references.categories)
        grids = NameTable(references.grids)
        divisions = NameTable(references.divisions)
        status = NameTable(Dictionary(uniqueKeysWithValues: EventStatus.allCases.map { ($0.rawValue, $0.chineseName) }))
        satisfaction = NameTable(Dictionary(uniqueKeysWithValues: Satisfaction.allCases.map { ($0.rawValue, $0.chineseName) }))
    }

    /// Code and name of each of the three levels of a category code, as
    /// `References.categoryLevels` (`CG.SR.YY` → `CG`, `CG.SR`, `CG.SR.YY`).
    func appendCategoryLevels(_ code: UnsafeBufferPointer<UInt8>?, to block: inout RowBlock) {
        var end = 0
        for level in 1...3 {
            guard let code, level == 1 || end < code.count else {
                block.appendNull()
                block.appendNull()
                continue
            }
            if level > 1 { end += 1 }  // past the dot
            while end < code.count && code[end] != UInt8(ascii: ".") { end += 1 }
            let prefix = UnsafeBufferPointer(rebasing: code[0..<end])
            block.appendText(prefix)
            categories.appendName(prefix, to: &block)
        }
    }
}

/// Text columns of a table's rows loaded once into one arena and looked up by integer id:
/// the display text of places (standard address, else text) and the masked forms of
/// people. A join per event costs a B-tree seek or two; this costs one array read. Ids
/// are mostly dense (`INTEGER PRIMARY KEY`), else a dictionary holds them.
struct IDTexts: Sendable {
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
    func append(_ id: Int64?, column: Int = 0, to block: inout RowBlock) {
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
