import GRDB
import OneGridModel

/// The reference registers' writes inside one transaction (`ReferenceStore.write`).
public struct ReferenceWrite {
    let db: Database
    let store: ReferenceStore

    public func upsert(divisions: [Division], urbanRural: [String: String] = [:]) throws {
        try store.upsert(divisions: divisions, urbanRural: urbanRural, in: db)
    }

    public func upsert(grids: [Grid]) throws {
        try store.upsert(grids: grids, in: db)
    }

    /// Sets the boundaries of known grids; returns how many grids took one.
    public func update(boundaries: [GridBoundary]) throws -> Int {
        try store.update(boundaries: boundaries, in: db)
    }

    public func upsert(addresses: [StandardAddress]) throws {
        try store.upsert(addresses: addresses, in: db)
    }

    public func replaceWorkers(_ workers: [(GridWorker, PersonKeys)], rules: LinkingRules) throws {
        try store.replaceWorkers(workers, rules: rules, in: db)
    }

    public func upsert(categories: [(code: String, name: String, parent: String?, level: Int)]) throws {
        try store.upsert(categories: categories, in: db)
    }

    /// Replaces the related category pairs with the taxonomy's list (`related:`).
    public func replace(relatedCategories pairs: [(a: String, b: String, why: String?)]) throws {
        try store.replace(relatedCategories: pairs, in: db)
    }

    /// Whether the division register holds this code (written earlier in this transaction or before).
    public func divisionExists(code: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM division WHERE code = ?)", arguments: [code]) == true
    }
}

extension ReferenceStore {
    /// Runs `body` in one write transaction.
    public func write<T>(_ body: (ReferenceWrite) throws -> T) throws -> T {
        try warehouse.write { db in try body(ReferenceWrite(db: db, store: self)) }
    }
}
