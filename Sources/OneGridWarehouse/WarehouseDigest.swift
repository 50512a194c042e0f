import Crypto
import Foundation
import GRDB
import OneGridModel

/// A digest of a warehouse's content, table by table: each table's rows rendered with
/// surrogate ids replaced by natural keys (a file by its SHA-256, an event by source and
/// source key, a place by its key, a person by its tokens, an incident by its first event),
/// sorted, and hashed. Two warehouses that hold the same data compare equal whatever order
/// their rows were written in, however many runs it took. The operations log (`run`, and
/// the times and run ids of `source_file`) is left out; `source_file` rows count once each,
/// by file name (the folder a file was found in is left out).
public enum WarehouseDigest {
    /// One table's figure.
    public struct Table: Sendable, Equatable, Codable {
        public var name: String
        public var rows: Int
        public var sha256: String
    }

    static let tables = ["division", "grid", "std_address", "category", "worker", "person", "place", "incident",
                         "source_file", "event", "event_version", "event_party", "event_step", "reject", "finding", "unmapped_value"]

    public static func compute(_ warehouse: Warehouse) throws -> [Table] {
        try warehouse.read { db in
            func lookup(_ sql: String) throws -> [Int64: String] {
                Dictionary(try Row.fetchAll(db, sql: sql).map { ($0[0] as Int64, ($0[1] as String?) ?? "") }, uniquingKeysWith: { a, _ in a })
            }
            let files = try lookup("SELECT id, sha256 FROM source_file")
            let events = try lookup("SELECT id, source || '|' || source_key FROM event")
            let places = try lookup("SELECT id, place_key FROM place")
            let people = try lookup("SELECT id, coalesce(id_token, '') || '|' || coalesce(phone_token, '') || '|' || coalesce(name_phone_token, '') FROM person")
            let incidents = try lookup("SELECT incident_id, min(source || '|' || source_key) FROM event WHERE incident_id IS NOT NULL GROUP BY incident_id")
            let substitutes: [String: [Int64: String]] = [
                "source_file_id": files, "first_file_id": files, "event_id": events, "place_id": places,
                "person_id": people, "incident_id": incidents,
            ]
            // The evidence of an incident link says which rule joined the event when it was
            // loaded: it depends on load order (the founding event has none), the data does not.
            let dropped: Set<String> = ["run_id", "started_at", "finished_at", "incident_rule", "incident_score", "incident_category"]
            return try tables.map { table in
                var lines: [String] = []
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") {
                    var cells: [String] = []
                    if table == "incident" { cells.append("key=" + (incidents[row["id"]] ?? "")) }
                    // Where a file was found is the machine's business, not the data's: a
                    // file counts by name, and messages lose its folder.
                    let folder = table == "source_file" ? ((row["path"] as String) as NSString).deletingLastPathComponent + "/" : nil
                    for column in row.columnNames where !dropped.contains(column) {
                        if column == "id" && table != "std_address" { continue }
                        var value: DatabaseValue = row[column]
                        if let folder, column == "path" || column == "message", let text = String.fromDatabaseValue(value) {
                            value = text.replacingOccurrences(of: folder, with: "").databaseValue
                        }
                        if let map = substitutes[column], let id = Int64.fromDatabaseValue(value) {
                            cells.append("\(column)=\(map[id] ?? "?")")
                        } else {
                            cells.append("\(column)=\(value)")
                        }
                    }
                    lines.append(cells.joined(separator: "\u{1F}"))
                }
                // A file tried twice (a failure retried after a kill) is one file.
                if table == "source_file" { lines = Array(Set(lines)) }
                lines.sort()
                let count = lines.count
                let digest = SHA256.hash(data: Data(lines.joined(separator: "\n").utf8))
                return Table(name: table, rows: count, sha256: Hex.encode(digest))
            }
        }
    }
}
