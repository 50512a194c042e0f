import Foundation
import GRDB
import OneGridPrivacy
import OneGridWarehouse

/// The rejects as `onegrid rejects` lists them: where, why, and the raw record, opened with
/// the key (only the key holder can read what the departments sent).
public struct RejectList {
    /// One reject with its raw record in the clear.
    public struct Entry: Sendable, Codable, Hashable {
        public var id: Int64
        public var feed: String
        public var file: String
        public var line: Int
        public var field: String?
        public var reason: String
        public var message: String
        public var raw: String
    }

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Rejects filtered by file name (suffix match) and reason code, oldest first.
    public func entries(file: String? = nil, reason: String? = nil, limit: Int = 50) throws -> [Entry] {
        let sealer = RecordSealer(key: workspace.key)
        return try workspace.warehouse.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, r.feed, f.path, r.line, r.field, r.reason, r.message, r.raw
                FROM reject r JOIN source_file f ON f.id = r.source_file_id
                WHERE (?1 IS NULL OR f.path LIKE '%' || ?1) AND (?2 IS NULL OR r.reason = ?2)
                ORDER BY r.id LIMIT ?3
                """, arguments: [file, reason, limit]).map { r in
                let sealed: Data = r[7]
                let raw = (try? sealer.open(Array(sealed))).map { String(decoding: $0, as: UTF8.self) } ?? "<cannot open: wrong key>"
                return Entry(id: r[0], feed: r[1], file: r[2], line: r[3], field: r[4], reason: r[5], message: r[6], raw: raw)
            }
        }
    }
}
