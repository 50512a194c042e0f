import Foundation
import GRDB

/// The small JSON file written beside every export (`<out>.manifest.json`): what was
/// exported, how, from which warehouse and mapping versions, and when.
public struct ExportManifest: Sendable, Hashable, Codable {
    /// One mapping version seen in the warehouse's loaded files.
    public struct Mapping: Sendable, Hashable, Codable {
        public var feed: String
        public var mappingHash: String
        public var files: Int
    }

    public var table: String
    public var format: String
    /// CSV text encoding (`utf-8`, `gb18030`), nil for other formats.
    public var encoding: String?
    public var headers: String
    public var pii: String
    public var file: String
    public var rows: Int
    public var bytes: Int64
    public var columns: [String]
    /// The filters given, as text.
    public var filters: [String: String]
    /// The filters given that the table applied.
    public var filtersApplied: [String]
    /// Table options (`level`, `asOf`, thresholds, alert parameters) as text.
    public var options: [String: String]
    /// Migrations applied to the warehouse (its schema version).
    public var schemaMigrations: [String]
    /// The warehouse `meta` table (key fingerprint, versions…).
    public var warehouseMeta: [String: String]
    public var keyFingerprint: String?
    public var mappings: [Mapping]
    /// ISO 8601, Beijing time.
    public var exportedAt: String

    static func warehouseFacts(_ db: Database) throws -> (migrations: [String], meta: [String: String], mappings: [Mapping]) {
        let migrations = try db.tableExists("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
        var meta: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta ORDER BY key") { meta[row[0]] = row[1] }
        let mappings = try Row.fetchAll(db, sql: """
            SELECT feed, mapping_hash, count(*) FROM source_file GROUP BY feed, mapping_hash ORDER BY feed, mapping_hash
            """).map { Mapping(feed: $0[0], mappingHash: $0[1], files: $0[2]) }
        return (migrations, meta, mappings)
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ExportError.io(path: path, message: "cannot write the manifest: \(error)")
        }
    }
}
