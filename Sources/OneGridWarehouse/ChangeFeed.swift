import Foundation
import GRDB

/// What a published column holds, so a central store can give it its proper type.
public enum PublishedKind: String, Sendable, Hashable {
    case text, integer, real, boolean, timestamp
}

/// One column of a published table.
public struct PublishedColumn: Sendable, Hashable {
    public let name: String
    public let kind: PublishedKind

    init(_ name: String, _ kind: PublishedKind = .text) {
        self.name = name
        self.kind = kind
    }
}

/// A warehouse table as `onegrid publish` sends it: its columns (the origin column comes
/// first and is not listed), its key within an origin, and the change-log entity whose
/// changes select its rows (an event's parties and steps travel with their event).
public struct PublishedTable: Sendable, Hashable {
    /// The table's name, here and in the central schema.
    public let name: String
    public let columns: [PublishedColumn]
    /// Key columns within one origin (the central key is `origin` followed by these).
    public let primaryKey: [String]
    /// The column holding the change-log key: the row's own key, or `event_id` for the
    /// rows an event owns.
    public let scope: String
    /// The change-log entity (`event` for parties and steps).
    public let entity: String

    /// The kind of the scope column (how a change-log key, always text, compares to it).
    public var scopeKind: PublishedKind { columns.first { $0.name == scope }!.kind }
}

/// Rows of a batch in tab-separated text: one line per row, `\N` for NULL, backslash,
/// tab, newline and carriage return escaped as `\\`, `\t`, `\n`, `\r` (the text form of
/// PostgreSQL's `COPY`, which is what reads them). Timestamps are UTC
/// `YYYY-MM-DD HH:MM:SS+00`, booleans `t`/`f`, reals with 17 significant digits (exact).
public struct ChangedRows: Sendable {
    public let table: PublishedTable
    public var lines: [UInt8] = []
    public var count = 0
}

/// One batch of committed changes: what changed in `(after, through]` of the change log,
/// read in one snapshot.
public struct ChangeBatch: Sendable {
    public let after: Int64
    /// The last change-log number the batch covers (the watermark once it is published).
    public let through: Int64
    /// `entity<TAB>key` lines, one per changed entity: the rows a publish must replace,
    /// those now absent included (deleted here, so deleted there).
    public var changedKeys: [UInt8] = []
    public var changedCount = 0
    /// Current rows of the changed entities, table by table in `ChangeFeed.tables` order.
    public var tables: [ChangedRows] = []
}

/// The warehouse's numbering of committed changes, which makes publishing incremental.
///
/// Triggers (migration v4) write `change_log(seq, tbl, key)` in the writing transaction
/// itself: any insert, update or delete of a published row gives its entity the next
/// number, replacing its previous entry (one entry per entity, so the log is no bigger
/// than the data). A reader then asks for the entities changed after a watermark and gets
/// their current rows; an import running at the same time only ever adds higher numbers,
/// because SQLite has one writer and a reader sees a committed snapshot.
///
/// The triggers delete then insert rather than `INSERT OR REPLACE`: an outer statement's
/// conflict clause (`INSERT OR IGNORE` in a loader) would override a trigger's own and
/// could drop the new number.
public enum ChangeFeed {
    /// The published tables, registers first, then what refers to them.
    public static let tables: [PublishedTable] = [
        table("division", key: ["code"], ["code", "name", "level", "parent_code", "urban_rural_code"]),
        table("grid", key: ["code"], ["code", "name", "community_code", "kind", "households:integer", "boundary"]),
        table("std_address", key: ["id"], ["id", "address", "road", "number", "compound", "building", "unit", "grid_code",
                                            "lng:real", "lat:real"]),
        table("category", key: ["code"], ["code", "name", "parent_code", "level:integer"]),
        table("person", key: ["id"], ["id:integer", "id_token", "phone_token", "name_phone_token", "masked_name",
                                       "masked_id", "masked_phone"]),
        table("place", key: ["id"], ["id:integer", "place_key", "text", "normalized_key", "compound_key", "std_address_id",
                                      "grid_code", "community_code", "street_code", "district_code", "lng:real", "lat:real",
                                      "method", "confidence:real"]),
        table("incident", key: ["id"], ["id:integer", "place_key", "category", "std_address_id", "grid_code",
                                         "first_report:timestamp", "last_report:timestamp", "event_count:integer", "sources",
                                         "is_open:boolean"]),
        table("source_file", key: ["id"], ["id:integer", "run_id:integer", "feed", "path", "sha256", "size:integer", "encoding",
                                            "gzip:boolean", "mapping_hash", "export_date", "state", "records_read:integer",
                                            "records_new:integer", "records_updated:integer", "records_unchanged:integer",
                                            "records_rejected:integer", "records_skipped:integer", "findings:integer",
                                            "started_at:timestamp", "finished_at:timestamp", "message"]),
        table("event", key: ["id"], ["id:integer", "source", "source_key", "version_at:timestamp", "category", "source_category",
                                      "source_category_code", "nature", "channel", "urgency", "status", "source_status", "title",
                                      "content", "handling_unit", "result", "satisfaction", "is_repeat:boolean", "repeat_of",
                                      "reported_at:timestamp", "dispatched_at:timestamp", "closed_at:timestamp",
                                      "headcount:integer", "self_resolved:boolean", "is_voided:boolean", "given_grid_code",
                                      "grid_code", "community_code", "street_code", "district_code", "place_id:integer",
                                      "match_method", "match_confidence:real", "grid_conflict", "incident_id:integer",
                                      "incident_rule", "incident_score:real", "incident_category", "source_file_id:integer",
                                      "line:integer"]),
        table("event_party", key: ["event_id", "ordinal"], scope: "event_id", entity: "event",
              ["event_id:integer", "ordinal:integer", "person_id:integer", "role", "is_lead:boolean", "worker_id", "masked_name"]),
        table("event_step", key: ["event_id", "ordinal"], scope: "event_id", entity: "event",
              ["event_id:integer", "ordinal:integer", "at:timestamp", "action", "unit", "result"]),
        // The raw record stays behind: it is sealed and may hold personal data.
        table("reject", key: ["id"], ["id:integer", "source_file_id:integer", "feed", "line:integer", "byte_offset:integer",
                                       "record_ordinal:integer", "field", "reason", "message", "replayed_at:timestamp"]),
    ]

    private static func table(_ name: String, key: [String], scope: String? = nil, entity: String? = nil,
                              _ columns: [String]) -> PublishedTable {
        let parsed = columns.map { spec -> PublishedColumn in
            let parts = spec.split(separator: ":")
            return PublishedColumn(String(parts[0]), parts.count > 1 ? PublishedKind(rawValue: String(parts[1]))! : .text)
        }
        return PublishedTable(name: name, columns: parsed, primaryKey: key, scope: scope ?? key[0], entity: entity ?? name)
    }

    /// Migration v4: the log, its triggers, every existing row logged once (so the first
    /// publish of an older warehouse sends everything) and the origin id, generated once.
    static var migrationSQL: String {
        var sql = """
            CREATE TABLE change_log (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                tbl TEXT NOT NULL,
                key TEXT NOT NULL
            );
            CREATE UNIQUE INDEX change_log_key ON change_log(tbl, key);
            INSERT OR IGNORE INTO meta(key, value) VALUES ('origin_id', lower(hex(randomblob(8))));

            """
        for t in tables {
            // CAST: an integer compared with the TEXT `key` would get numeric affinity and
            // miss the (tbl, key) index, a scan of the whole log per row written.
            let key = { (row: String) in "CAST(\(row).\(t.scope) AS TEXT)" }
            let mark = { (row: String) in
                "DELETE FROM change_log WHERE tbl = '\(t.entity)' AND key = \(key(row)); "
                    + "INSERT INTO change_log(tbl, key) VALUES ('\(t.entity)', \(key(row)));"
            }
            sql += """
                CREATE TRIGGER change_\(t.name)_insert AFTER INSERT ON \(t.name) BEGIN \(mark("NEW")) END;
                CREATE TRIGGER change_\(t.name)_delete AFTER DELETE ON \(t.name) BEGIN \(mark("OLD")) END;
                CREATE TRIGGER change_\(t.name)_update AFTER UPDATE ON \(t.name) BEGIN
                    DELETE FROM change_log WHERE tbl = '\(t.entity)' AND key = \(key("OLD")) AND OLD.\(t.scope) IS NOT NEW.\(t.scope);
                    INSERT INTO change_log(tbl, key) SELECT '\(t.entity)', \(key("OLD")) WHERE OLD.\(t.scope) IS NOT NEW.\(t.scope);
                    \(mark("NEW"))
                END;

                """
            if t.entity == t.name {
                sql += "INSERT INTO change_log(tbl, key) SELECT '\(t.name)', \(t.scope) FROM \(t.name) ORDER BY \(t.scope);\n"
            }
        }
        return sql
    }

    /// The SQL expression of one column in the text form of `ChangedRows` (NULL stays NULL).
    static func textExpression(_ column: PublishedColumn, alias: String) -> String {
        let c = "\(alias).\(column.name)"
        switch column.kind {
        case .text:
            return #"replace(replace(replace(replace(\#(c), '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r')"#
        case .integer:
            return c
        case .real:
            return "CASE WHEN \(c) IS NULL THEN NULL ELSE printf('%!.17g', \(c)) END"
        case .boolean:
            return "CASE WHEN \(c) IS NULL THEN NULL WHEN \(c) THEN 't' ELSE 'f' END"
        case .timestamp:
            return "strftime('%Y-%m-%d %H:%M:%S+00', \(c), 'unixepoch')"
        }
    }

    /// The statement reading the current rows of `table` whose entity changed in `(?, ?]`:
    /// one result column per published column, text as stored (`appendRow` escapes it, in
    /// one pass over SQLite's own bytes), the other kinds already in their text form. The
    /// unary `+` keeps SQLite on the `seq` range (the batch) rather than the `(tbl, key)`
    /// index, which would walk every entry of the entity for each batch.
    static func rowsSQL(_ table: PublishedTable) -> String {
        let columns = table.columns.map { $0.kind == .text ? "t.\($0.name)" : textExpression($0, alias: "t") }
        let join = table.scopeKind == .integer ? "t.\(table.scope) = CAST(c.key AS INTEGER)" : "t.\(table.scope) = c.key"
        return """
            SELECT \(columns.joined(separator: ", ")) FROM change_log c JOIN \(table.name) t ON \(join)
            WHERE +c.tbl = '\(table.entity)' AND c.seq > ? AND c.seq <= ?
            ORDER BY \(table.primaryKey.map { "t.\($0)" }.joined(separator: ", "))
            """
    }

    /// Appends one `ChangedRows` line: `origin` (already escaped), then each column of the
    /// current row of `statement` after a tab (`\\N` for NULL; the columns whose `escape` is
    /// true escaped), then a newline.
    @inline(__always)
    static func appendRow(_ statement: SQLiteStatement, origin: [UInt8], escape: [Bool], to lines: inout [UInt8]) {
        lines.append(contentsOf: origin)
        for column in escape.indices {
            lines.append(9)
            guard let text = SQLiteRow.text(statement, Int32(column)) else {
                lines.append(0x5C)
                lines.append(UInt8(ascii: "N"))
                continue
            }
            if escape[column] { appendEscaped(text, to: &lines) } else { lines.append(contentsOf: text) }
        }
        lines.append(10)
    }

    /// `text` with backslash, tab, newline and carriage return escaped (COPY's text form),
    /// copied in runs between them.
    @inline(__always)
    static func appendEscaped(_ text: UnsafeBufferPointer<UInt8>, to lines: inout [UInt8]) {
        var start = 0
        for i in 0..<text.count {
            let byte = text[i]
            let escaped: UInt8
            switch byte {
            case 0x5C: escaped = 0x5C
            case 9: escaped = UInt8(ascii: "t")
            case 10: escaped = UInt8(ascii: "n")
            case 13: escaped = UInt8(ascii: "r")
            default: continue
            }
            lines.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<i]))
            lines.append(0x5C)
            lines.append(escaped)
            start = i + 1
        }
        lines.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...]))
    }

    /// `text` escaped as one field of `ChangedRows`.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension Warehouse {
    /// The stable id this warehouse publishes under unless told another (generated once,
    /// by migration v4).
    public func originID() throws -> String {
        guard let id = try meta("origin_id") else {
            throw Problem.sqlite(path: path, message: "no origin_id in meta (migration v4 did not run)")
        }
        return id
    }

    /// The number of the latest committed change (0 when nothing was ever logged).
    public func lastChange() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM change_log") ?? 0 }
    }

    /// Entities changed after `after`.
    public func pendingChanges(after: Int64) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE seq > ?", arguments: [after]) ?? 0 }
    }

    /// The next batch after `after`: at most `limit` changed entities with the current rows
    /// of each, `origin` as the first field of every row; nil when nothing changed after it.
    /// One read transaction, so the batch is one consistent state of the warehouse.
    public func changes(after: Int64, limit: Int, origin: String) throws -> ChangeBatch? {
        try read { db in
            let through = try Int64.fetchOne(db, sql: """
                SELECT max(seq) FROM (SELECT seq FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?)
                """, arguments: [after, max(1, limit)])
            guard let through else { return nil }
            var batch = ChangeBatch(after: after, through: through)
            let keys = try db.makeStatement(sql: """
                SELECT tbl || char(9) || \(ChangeFeed.textExpression(PublishedColumn("key"), alias: "change_log"))
                FROM change_log WHERE seq > ? AND seq <= ?
                """)
            try keys.setArguments([after, through])
            batch.changedCount = try Self.collectLines(keys, db, into: &batch.changedKeys)
            let escapedOrigin = Array(ChangeFeed.escaped(origin).utf8)
            for table in ChangeFeed.tables {
                var rows = ChangedRows(table: table)
                let statement = try db.cachedStatement(sql: ChangeFeed.rowsSQL(table))
                try statement.setArguments([after, through])
                let escape = table.columns.map { $0.kind == .text }
                let s = statement.sqliteStatement
                while try SQLiteRow.step(s, db) {
                    ChangeFeed.appendRow(s, origin: escapedOrigin, escape: escape, to: &rows.lines)
                    rows.count += 1
                }
                batch.tables.append(rows)
            }
            return batch
        }
    }

    /// Appends the first column of every row of `statement`, each followed by a newline,
    /// as SQLite's own bytes; returns the number of rows.
    private static func collectLines(_ statement: Statement, _ db: Database, into lines: inout [UInt8]) throws -> Int {
        var count = 0
        let s = statement.sqliteStatement
        while try SQLiteRow.step(s, db) {
            if let text = SQLiteRow.text(s, 0) { lines.append(contentsOf: text) }
            lines.append(UInt8(ascii: "\n"))
            count += 1
        }
        return count
    }
}
