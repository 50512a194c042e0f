import Foundation
import GRDB
import OneGridModel

/// One consistent read of the warehouse for the export tables: every query an export runs
/// is a named operation here, handing out typed records (`TableRecords.swift`) or blocks of
/// SQLite's bytes (`EventBlockReader.swift`). Valid only inside `Warehouse.readTables`.
public struct TableReader {
    let db: Database
}

extension Warehouse {
    /// Runs `body` in one read transaction (a consistent snapshot of the warehouse).
    public func readTables<T>(_ body: (TableReader) throws -> T) throws -> T {
        try read { db in try body(TableReader(db: db)) }
    }
}

/// Beijing calendar month (`YYYY-MM`) of the Unix seconds in `column`, in SQL.
func beijingMonthSQL(_ column: String) -> String {
    "strftime('%Y-%m', \(column) + 28800, 'unixepoch')"
}

extension TableReader {
    /// Code → name of the small reference tables, loaded once per export.
    public func referenceNames() throws -> ReferenceNames {
        func pairs(_ table: String) throws -> [String: String] {
            var out: [String: String] = [:]
            for entry in try CodeName.fetchAll(db, sql: "SELECT code, name FROM \(table)") { out[entry.code] = entry.name }
            return out
        }
        return ReferenceNames(divisions: try pairs("division"), grids: try pairs("grid"), categories: try pairs("category"))
    }

    /// The feeds with events, in name order.
    public func feeds() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT source FROM event ORDER BY source")
    }

    /// What a manifest records about the warehouse: its migrations, `meta` and mapping versions.
    public func facts() throws -> WarehouseFacts {
        let migrations = try db.tableExists("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
        var meta: [String: String] = [:]
        for entry in try MetaEntry.fetchAll(db, sql: "SELECT key, value FROM meta ORDER BY key") { meta[entry.key] = entry.value }
        let mappings = try MappingUse.fetchAll(db, sql: """
            SELECT feed, mapping_hash, count(*) AS files FROM source_file GROUP BY feed, mapping_hash ORDER BY feed, mapping_hash
            """)
        return WarehouseFacts(migrations: migrations, meta: meta, mappings: mappings)
    }

    /// The sealed payload of an event's version with `contentHash`; nil when absent or empty.
    public func sealedPayload(eventID: Int64, contentHash: String) throws -> [UInt8]? {
        let statement = try db.cachedStatement(sql: "SELECT payload FROM event_version WHERE event_id = ? AND content_hash = ?")
        guard let blob = try Data.fetchOne(statement, arguments: [eventID, contentHash]), !blob.isEmpty else { return nil }
        return Array(blob)
    }

    /// Up to `limit` current versions of events naming person `personID`, in event order.
    public func eventsNaming(personID: Int64, limit: Int) throws -> [EventVersionKey] {
        try EventVersionKey.fetchAll(db, sql: """
            SELECT e.id, e.content_hash, e.source, e.source_key FROM event_party ep JOIN event e ON e.id = ep.event_id
            WHERE ep.person_id = ? ORDER BY e.id LIMIT ?
            """, arguments: [personID, limit])
    }

    /// One person's stored forms (masked and tokens); nil when there is no such person.
    public func person(id: Int64) throws -> PersonForms? {
        try PersonForms.fetchOne(db, sql: """
            SELECT masked_name, masked_id, masked_phone, id_token, phone_token, name_phone_token FROM person WHERE id = ?
            """, arguments: [id])
    }

    // MARK: filter values

    /// The level of a division or grid code (`district`, `street`, `community` or `grid`)
    /// with its name; nil when the warehouse knows no such code.
    public func codeLevel(_ code: String) throws -> (level: String, name: String)? {
        if let name = try String.fetchOne(db, sql: "SELECT name FROM grid WHERE code = ?", arguments: [code]) {
            return ("grid", name)
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT level, name FROM division WHERE code = ?", arguments: [code]) else {
            return nil
        }
        return (row[0], row[1])
    }

    /// Up to `limit` codes and names at `level` (`district`, `street`, `community` or
    /// `grid`) that begin with `prefix`, in code order.
    public func codes(level: String, prefix: String = "", limit: Int) throws -> [(code: String, name: String)] {
        let sql = level == "grid"
            ? "SELECT code, name FROM grid WHERE code >= ? AND code < ? ORDER BY code LIMIT ?"
            : "SELECT code, name FROM division WHERE level = '\(level == "district" ? "district" : level == "street" ? "street" : "community")' AND code >= ? AND code < ? ORDER BY code LIMIT ?"
        return try CodeName.fetchAll(db, sql: sql, arguments: [prefix, prefix + "~", limit]).map { ($0.code, $0.name) }
    }

    /// Every feed the warehouse knows: those with events and those with loaded files, in name order.
    public func knownFeeds() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT source FROM event UNION SELECT feed FROM source_file ORDER BY 1")
    }

    /// Whether `code` is a category of the taxonomy.
    public func categoryExists(_ code: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM category WHERE code = ?", arguments: [code]) ?? false
    }

    /// The top-level categories (domains), in code order.
    public func domains() throws -> [(code: String, name: String)] {
        try CodeName.fetchAll(db, sql: "SELECT code, name FROM category WHERE parent_code IS NULL ORDER BY code").map { ($0.code, $0.name) }
    }

    // MARK: incidents

    /// The incidents kept by `filter` in id order: grid, feed list and category filters,
    /// and times as an overlap of their reports with `[since, until)`. Returns the names of
    /// the filters applied.
    public func incidents(_ filter: ExportFilter, _ body: (IncidentRecord) throws -> Void) throws -> Set<String> {
        var columns = ExportFilter.Columns.gridOnly("i.grid_code")
        columns.sourceList = "i.sources"
        columns.category = "i.category"
        var clause = filter.clause(columns)
        // Overlap with [since, until): the last report is not before since, the first is before until.
        var timeParts: [String] = []
        var arguments = clause.arguments
        if let since = filter.since {
            timeParts.append("i.last_report >= ?"); _ = arguments.append(contentsOf: [since.seconds]); clause.applied.insert("since")
        }
        if let until = filter.until {
            timeParts.append("i.first_report < ?"); _ = arguments.append(contentsOf: [until.seconds]); clause.applied.insert("until")
        }
        let condition = ([clause.sql] + timeParts).joined(separator: " AND ")
        let cursor = try IncidentRecord.fetchCursor(db, sql: """
            SELECT i.id, coalesce(sa.address, (SELECT p.text FROM place p WHERE p.place_key = i.place_key)) AS place,
                   i.std_address_id, i.grid_code, i.category, i.first_report, i.last_report, i.sources,
                   i.event_count, i.is_open
            FROM incident i LEFT JOIN std_address sa ON sa.id = i.std_address_id
            WHERE \(condition)
            ORDER BY i.id
            """, arguments: arguments)
        while let record = try cursor.next() { try body(record) }
        return clause.applied
    }

    /// The grid and category of incident `id`, nil when there is no such incident.
    public func incidentGridAndCategory(id: Int64) throws -> (grid: String?, category: String?)? {
        try GridAndCategory.fetchOne(db, sql: "SELECT grid_code, category FROM incident WHERE id = ?", arguments: [id])
            .map { ($0.grid, $0.category) }
    }

    // MARK: people

    /// Per person named in the events `filter` keeps, and per feed: events, first and last
    /// report and roles; in person then feed order.
    public func personFeedCounts(_ filter: ExportFilter, _ body: (PersonFeedCount) throws -> Void) throws -> Set<String> {
        let clause = filter.clause(.event("e"))
        let cursor = try PersonFeedCount.fetchCursor(db, sql: """
            SELECT ep.person_id, e.source, count(DISTINCT e.id) AS events, min(e.reported_at) AS first_reported,
                   max(e.reported_at) AS last_reported, group_concat(DISTINCT ep.role) AS roles
            FROM event_party ep JOIN event e ON e.id = ep.event_id
            WHERE ep.person_id IS NOT NULL AND \(clause.sql)
            GROUP BY ep.person_id, e.source
            ORDER BY ep.person_id, e.source
            """, arguments: clause.arguments)
        while let record = try cursor.next() { try body(record) }
        return clause.applied
    }

    // MARK: places

    /// The places kept by `filter`'s division filters, in id order, with how many of the
    /// events its other filters keep happened there; when any of those applies, places
    /// without such an event are left out.
    public func places(_ filter: ExportFilter, _ body: (PlaceRecord) throws -> Void) throws -> Set<String> {
        let events = filter.withoutDivisions.clause(.event("e"))
        var placeColumns = ExportFilter.Columns()
        placeColumns.district = "pl.district_code"; placeColumns.street = "pl.street_code"
        placeColumns.community = "pl.community_code"; placeColumns.grid = "pl.grid_code"
        let places = filter.clause(placeColumns)
        let needEvents = !events.applied.isEmpty
        var arguments = events.arguments
        _ = arguments.append(contentsOf: places.arguments)
        let cursor = try PlaceRecord.fetchCursor(db, sql: """
            SELECT pl.id, pl.place_key, pl.text, pl.std_address_id, sa.address AS std_address, pl.grid_code, pl.community_code,
                   pl.street_code, pl.district_code, pl.lng, pl.lat, pl.method, pl.confidence, coalesce(c.n, 0) AS event_count
            FROM place pl
            LEFT JOIN std_address sa ON sa.id = pl.std_address_id
            LEFT JOIN (SELECT e.place_id, count(*) AS n FROM event e WHERE e.place_id IS NOT NULL AND \(events.sql)
                       GROUP BY e.place_id) c ON c.place_id = pl.id
            WHERE \(places.sql)\(needEvents ? " AND c.n > 0" : "")
            ORDER BY pl.id
            """, arguments: arguments)
        while let record = try cursor.next() { try body(record) }
        return events.applied.union(places.applied)
    }

    // MARK: grids

    /// The grid worker roster, by grid, role and worker id.
    public func workers() throws -> [WorkerRecord] {
        try WorkerRecord.fetchAll(db, sql: """
            SELECT w.grid_code, w.role, w.worker_id, w.masked_name, p.masked_name AS person_masked_name,
                   p.id_token AS person_id_token
            FROM worker w LEFT JOIN person p ON p.id = w.person_id ORDER BY w.grid_code, w.role, w.worker_id
            """)
    }

    /// The grids kept by `filter`'s division filters, in code order, with how many of the
    /// events its other filters keep are in each.
    public func grids(_ filter: ExportFilter, _ body: (GridRecord) throws -> Void) throws -> Set<String> {
        let events = filter.withoutDivisions.clause(.event("e"))
        let grids = filter.clause(.gridOnly("g.code"))
        var arguments = events.arguments
        _ = arguments.append(contentsOf: grids.arguments)
        let cursor = try GridRecord.fetchCursor(db, sql: """
            SELECT g.code, g.name, g.kind, g.households, g.community_code, coalesce(c.n, 0) AS event_count
            FROM grid g
            LEFT JOIN (SELECT e.grid_code, count(*) AS n FROM event e WHERE e.grid_code IS NOT NULL AND \(events.sql)
                       GROUP BY e.grid_code) c ON c.grid_code = g.code
            WHERE \(grids.sql)
            ORDER BY g.code
            """, arguments: arguments)
        while let record = try cursor.next() { try body(record) }
        return events.applied.union(grids.applied)
    }

    // MARK: rejects

    /// The rejects kept by `filter` (times on when the file was loaded, feeds on the
    /// reject's feed), in id order.
    public func rejects(_ filter: ExportFilter, _ body: (RejectRow) throws -> Void) throws -> Set<String> {
        var columns = ExportFilter.Columns()
        columns.time = "f.started_at"
        columns.source = "r.feed"
        let clause = filter.clause(columns)
        let cursor = try RejectRow.fetchCursor(db, sql: """
            SELECT r.id, r.feed, f.path, r.line, r.byte_offset, r.record_ordinal, r.field, r.reason, r.message,
                   f.started_at AS loaded_at, r.replayed_at, r.raw
            FROM reject r JOIN source_file f ON f.id = r.source_file_id
            WHERE \(clause.sql)
            ORDER BY r.id
            """, arguments: clause.arguments)
        while let record = try cursor.next() { try body(record) }
        return clause.applied
    }

    // MARK: steps

    /// The steps of the events `filter` keeps, by event id and step ordinal.
    public func steps(_ filter: ExportFilter, _ body: (StepRecord) throws -> Void) throws -> Set<String> {
        let clause = filter.clause(.event("e"))
        let cursor = try StepRecord.fetchCursor(db, sql: """
            SELECT s.event_id, e.source, e.source_key, s.ordinal, s.at, s.action, s.unit, s.result
            FROM event_step s JOIN event e ON e.id = s.event_id
            WHERE \(clause.sql)
            ORDER BY s.event_id, s.ordinal
            """, arguments: clause.arguments)
        while let record = try cursor.next() { try body(record) }
        return clause.applied
    }

    // MARK: monthly figures and alerts

    /// The events `filter` keeps that have a report time, as `EventFacts`, ordered by the
    /// code of `level` (the grid when nil) and Beijing month of report.
    public func monthlyEventFacts(_ filter: ExportFilter, level: DivisionLevel?,
                                  _ body: (EventFacts) throws -> Void) throws -> Set<String> {
        let clause = filter.clause(.event("e"))
        let unitColumn = "e." + (level.map { "\($0.rawValue)_code" } ?? "grid_code")
        let cursor = try EventFacts.fetchCursor(db, sql: """
            SELECT \(unitColumn) AS unit, \(beijingMonthSQL("e.reported_at")) AS month, e.source, e.category, e.status,
                   e.is_repeat, e.satisfaction, e.reported_at, e.closed_at
            FROM event e
            WHERE e.reported_at IS NOT NULL AND \(clause.sql)
            ORDER BY unit, month
            """, arguments: clause.arguments)
        while let record = try cursor.next() { try body(record) }
        return clause.applied
    }

    /// The reports of incidents among the events `filter` keeps reported by `asOf`, by
    /// incident, time of report and event id.
    public func incidentReports(_ filter: ExportFilter, asOf: Timestamp,
                                _ body: (IncidentReport) throws -> Void) throws -> Set<String> {
        let clause = filter.clause(.event("e"))
        var arguments = clause.arguments
        _ = arguments.append(contentsOf: [asOf.seconds])
        let cursor = try IncidentReport.fetchCursor(db, sql: """
            SELECT e.incident_id, e.id, e.source, e.reported_at FROM event e
            WHERE e.incident_id IS NOT NULL AND e.reported_at IS NOT NULL AND \(clause.sql) AND e.reported_at <= ?
            ORDER BY e.incident_id, e.reported_at, e.id
            """, arguments: arguments)
        while let record = try cursor.next() { try body(record) }
        return clause.applied
    }

    /// Events per grid and Beijing month of report among those `filter` keeps reported by
    /// `asOf`, by grid and month. The `since` filter is not applied (the months before it
    /// are a baseline) and not among the names returned.
    public func gridMonthCounts(_ filter: ExportFilter, asOf: Timestamp,
                                _ body: (GridMonthCount) throws -> Void) throws -> Set<String> {
        let clause = filter.clause(.event("e"), skipSince: true)
        var arguments = clause.arguments
        _ = arguments.append(contentsOf: [asOf.seconds])
        let cursor = try GridMonthCount.fetchCursor(db, sql: """
            SELECT e.grid_code, \(beijingMonthSQL("e.reported_at")) AS month, count(*) AS events FROM event e
            WHERE e.grid_code IS NOT NULL AND e.reported_at IS NOT NULL AND \(clause.sql) AND e.reported_at <= ?
            GROUP BY e.grid_code, month
            ORDER BY e.grid_code, month
            """, arguments: arguments)
        while let record = try cursor.next() { try body(record) }
        return clause.applied
    }

    /// The Beijing month (`YYYY-MM`) of the earliest report among the events `filter` keeps
    /// reported by `asOf`, its `since` left out (the history before it counts); nil when none.
    public func firstReportMonth(_ filter: ExportFilter, asOf: Timestamp) throws -> String? {
        let clause = filter.clause(.event("e"), skipSince: true)
        var arguments = clause.arguments
        _ = arguments.append(contentsOf: [asOf.seconds])
        return try String.fetchOne(db, sql: """
            SELECT \(beijingMonthSQL("min(e.reported_at)")) FROM event e
            WHERE e.reported_at IS NOT NULL AND \(clause.sql) AND e.reported_at <= ?
            """, arguments: arguments)
    }

    /// The ids of the events `filter` keeps in grid `grid` reported in `[from, before)` and
    /// by `asOf`, in id order (the `since` filter left out, as for `gridMonthCounts`).
    public func eventIDs(_ filter: ExportFilter, grid: String, from: Timestamp, before: Timestamp,
                         asOf: Timestamp) throws -> [Int64] {
        let clause = filter.clause(.event("e"), skipSince: true)
        var arguments: StatementArguments = [grid, from.seconds, before.seconds, asOf.seconds]
        _ = arguments.append(contentsOf: clause.arguments)
        return try Int64.fetchAll(db, sql: """
            SELECT e.id FROM event e
            WHERE e.grid_code = ? AND e.reported_at >= ? AND e.reported_at < ? AND e.reported_at <= ? AND \(clause.sql)
            ORDER BY e.id
            """, arguments: arguments)
    }

    /// `source/source_key` of each event among `ids` that exists, by id.
    public func eventKeys(_ ids: [Int64]) throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        let statement = try db.cachedStatement(sql: "SELECT source || '/' || source_key FROM event WHERE id = ?")
        for id in Set(ids) {
            if let key = try String.fetchOne(statement, arguments: [id]) { out[id] = key }
        }
        return out
    }

    /// The open events `filter` keeps reported by `asOf`, in id order, each with the start
    /// of its deadline: its first `受理` step, else its report.
    public func openEvents(_ filter: ExportFilter, asOf: Timestamp, _ body: (OpenEvent) throws -> Void) throws -> Set<String> {
        let clause = filter.clause(.event("e"))
        let open = EventStatus.allCases.filter(\.isOpen).map(\.rawValue)
        var arguments = StatementArguments(open)
        _ = arguments.append(contentsOf: clause.arguments)
        _ = arguments.append(contentsOf: [asOf.seconds])
        let cursor = try OpenEvent.fetchCursor(db, sql: """
            SELECT e.id, e.source, e.source_key, e.grid_code, e.category, e.status,
                   coalesce((SELECT min(s.at) FROM event_step s WHERE s.event_id = e.id AND s.action = '受理'), e.reported_at)
                   AS deadline_start
            FROM event e
            WHERE e.status IN (\(open.map { _ in "?" }.joined(separator: ","))) AND e.reported_at IS NOT NULL
              AND \(clause.sql) AND e.reported_at <= ?
            ORDER BY e.id
            """, arguments: arguments)
        while let record = try cursor.next() { try body(record) }
        return clause.applied
    }
}

extension ExportFilter {
    /// The same filter without its division filters (for counting events per grid or place,
    /// whose own codes take those filters).
    var withoutDivisions: ExportFilter {
        var filter = self
        filter.district = nil; filter.street = nil; filter.community = nil; filter.grid = nil
        return filter
    }
}

extension TableReader {
    /// The stored boundary of every grid that has one, by grid code. A boundary that does
    /// not decode is an error naming the grid: a map layer must not silently lose a grid.
    public func gridBoundaries() throws -> [String: [Polygon]] {
        let decoder = JSONDecoder()
        var out: [String: [Polygon]] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT code, boundary FROM grid WHERE boundary IS NOT NULL ORDER BY code")
        while let row = try cursor.next() {
            let code: String = row[0]
            let json: String = row[1]
            do {
                out[code] = try decoder.decode([Polygon].self, from: Data(json.utf8))
            } catch {
                throw BoundaryUnreadable(gridCode: code, message: "\(error)")
            }
        }
        return out
    }
}

/// A grid's stored boundary is not the polygon list the warehouse writes.
public struct BoundaryUnreadable: Error, Sendable, Hashable, CustomStringConvertible {
    public var gridCode: String
    public var message: String
    public var description: String { "grid \(gridCode): stored boundary does not decode: \(message)" }
}
