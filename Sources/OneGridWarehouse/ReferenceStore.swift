import Foundation
import GRDB
import OneGridModel

/// Writes the reference registers (divisions, grids, boundaries, standard addresses, the
/// grid worker roster, the category taxonomy) and reads them back for resolution.
/// Reloading updates rows in place: the roster changes every month.
public struct ReferenceStore {
    let warehouse: Warehouse

    public init(warehouse: Warehouse) {
        self.warehouse = warehouse
    }

    /// Counts of rows written per register.
    public struct Counts: Sendable, Hashable, Codable {
        public var divisions = 0, grids = 0, boundaries = 0, addresses = 0, workers = 0, categories = 0
        public init() {}
    }

    public func upsert(divisions: [Division], urbanRural: [String: String] = [:], in db: Database) throws {
        // Parents first, so a community never points at a street not yet written.
        let ordered = divisions.sorted { $0.code.count < $1.code.count }
        for d in ordered {
            try db.cachedStatement(sql: """
                INSERT INTO division (code, name, level, parent_code, urban_rural_code) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level,
                    parent_code = excluded.parent_code, urban_rural_code = excluded.urban_rural_code
                """).execute(arguments: [d.code, d.name, d.level.rawValue, d.parentCode, urbanRural[d.code]])
        }
    }

    public func upsert(grids: [Grid], in db: Database) throws {
        for g in grids {
            try db.cachedStatement(sql: """
                INSERT INTO grid (code, name, community_code, kind, households) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET name = excluded.name, community_code = excluded.community_code,
                    kind = excluded.kind, households = excluded.households
                """).execute(arguments: [g.code, g.name, g.communityCode, g.kind.rawValue, g.households])
        }
    }

    public func update(boundaries: [GridBoundary], in db: Database) throws -> Int {
        var written = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // the same bytes in every process
        for b in boundaries {
            let json = String(decoding: try encoder.encode(b.polygons), as: UTF8.self)
            try db.execute(sql: "UPDATE grid SET boundary = ? WHERE code = ?", arguments: [json, b.gridCode])
            written += db.changesCount
        }
        return written
    }

    public func upsert(addresses: [StandardAddress], in db: Database) throws {
        for a in addresses {
            try db.cachedStatement(sql: """
                INSERT INTO std_address (id, address, road, number, compound, building, unit, grid_code, lng, lat)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET address = excluded.address, road = excluded.road, number = excluded.number,
                    compound = excluded.compound, building = excluded.building, unit = excluded.unit,
                    grid_code = excluded.grid_code, lng = excluded.lng, lat = excluded.lat
                """).execute(arguments: [a.id, a.address, a.road, a.number, a.compound, a.building, a.unit, a.gridCode,
                                         a.location?.lng, a.location?.lat])
        }
    }

    /// Replaces the roster: workers are linked to persons through their tokens, so a worker
    /// who also calls 12345 is one person.
    public func replaceWorkers(_ workers: [(GridWorker, PersonKeys)], rules: LinkingRules, in db: Database) throws {
        try db.execute(sql: "DELETE FROM worker")
        let people = PersonStore(db: db)
        for (w, keys) in workers {
            let personID = try people.link(keys, rule: rules.person)
            try db.cachedStatement(sql: """
                INSERT INTO worker (worker_id, grid_code, role, person_id, masked_name) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(worker_id, grid_code) DO UPDATE SET role = excluded.role, person_id = excluded.person_id,
                    masked_name = excluded.masked_name
                """).execute(arguments: [w.workerID, w.gridCode, w.role.rawValue, personID, keys.maskedName])
        }
    }

    public func upsert(categories: [(code: String, name: String, parent: String?, level: Int)], in db: Database) throws {
        for c in categories {
            try db.cachedStatement(sql: """
                INSERT INTO category (code, name, parent_code, level) VALUES (?, ?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code, level = excluded.level
                """).execute(arguments: [c.code, c.name, c.parent, c.level])
        }
    }

    /// Replaces the declared related category pairs with `pairs` (the taxonomy's whole list).
    public func replace(relatedCategories pairs: [(a: String, b: String, why: String?)], in db: Database) throws {
        try db.execute(sql: "DELETE FROM category_related")
        for p in pairs {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO category_related (code_a, code_b, why) VALUES (?, ?, ?)")
                .execute(arguments: [p.a, p.b, p.why])
        }
    }

    // MARK: - Reading back

    /// The category pairs the taxonomy declares related, as the last import wrote them.
    public func relatedCategories() throws -> [(String, String)] {
        try warehouse.read { db in
            try Row.fetchAll(db, sql: "SELECT code_a, code_b FROM category_related ORDER BY code_a, code_b").map { ($0[0], $0[1]) }
        }
    }

    /// The names of the taxonomy's domains and classes.
    public func categoryNames() throws -> [String] {
        try warehouse.read { db in try String.fetchAll(db, sql: "SELECT name FROM category ORDER BY code") }
    }

    public func divisions() throws -> [Division] {
        try warehouse.read { db in
            try Row.fetchAll(db, sql: "SELECT code, name, level, parent_code FROM division ORDER BY code").compactMap { r in
                guard let level = DivisionLevel(rawValue: r[2]) else { return nil }
                return Division(code: r[0], name: r[1], level: level, parentCode: r[3])
            }
        }
    }

    public func grids() throws -> [Grid] {
        try warehouse.read { db in
            try Row.fetchAll(db, sql: "SELECT code, name, community_code, kind, households FROM grid ORDER BY code").map { r in
                Grid(code: r[0], name: r[1], communityCode: r[2], kind: GridKind(rawValue: r[3]) ?? .comprehensive, households: r[4])
            }
        }
    }

    public func boundaries() throws -> [GridBoundary] {
        let decoder = JSONDecoder()
        return try warehouse.read { db in
            try Row.fetchAll(db, sql: "SELECT code, boundary FROM grid WHERE boundary IS NOT NULL ORDER BY code").compactMap { r in
                let json: String = r[1]
                guard let polygons = try? decoder.decode([Polygon].self, from: Data(json.utf8)) else { return nil }
                return GridBoundary(gridCode: r[0], polygons: polygons)
            }
        }
    }

    /// Hands `body` a reader of the standard addresses in id order, one at a time: a city's
    /// list need never be held whole (the matching index keeps a fraction of each).
    public func withAddresses<T>(_ body: (_ next: () throws -> StandardAddress?) throws -> T) throws -> T {
        try warehouse.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT id, address, road, number, compound, building, unit, grid_code, lng, lat FROM std_address ORDER BY id")
            return try body {
                guard let r = try rows.next() else { return nil }
                let lng: Double? = r[8], lat: Double? = r[9]
                return StandardAddress(id: r[0], address: r[1], road: r[2], number: r[3], compound: r[4], building: r[5],
                                       unit: r[6], gridCode: r[7],
                                       location: lng.flatMap { x in lat.map { Coordinate(lng: x, lat: $0) } })
            }
        }
    }
}

extension ReferenceStore {
    /// Where the standard-address index of this warehouse's list is kept between processes
    /// (`StandardAddressIndex.persisted`): beside the warehouse file, as `<file>.address-index`.
    /// nil for an in-memory warehouse; `readOnly` for one opened read-only (the dry-run), which
    /// reads the file but never writes it.
    public var addressIndexFile: (path: String, readOnly: Bool)? {
        guard warehouse.path != ":memory:" else { return nil }
        return (warehouse.path + ".address-index", warehouse.database.configuration.readonly)
    }
}
