import Foundation
import GRDB
import OneGridModel

/// The one warehouse: a SQLite file (WAL, foreign keys on) holding reference data, the
/// unified events with their history, and the operations log. All writes go through it.
public final class Warehouse: @unchecked Sendable {
    /// The GRDB connection. Only one writer exists per process (`DatabaseQueue`).
    public let database: DatabaseQueue
    public let path: String

    /// Failures opening or using the warehouse.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notInitialised(path: String)
        case keyMismatch(path: String, expected: String, found: String)
        case sqlite(path: String, message: String)

        public var description: String {
            switch self {
            case .notInitialised(let path):
                return "\(path): no warehouse here; run `onegrid init` first"
            case .keyMismatch(let path, let expected, let found):
                return "\(path): the key file does not belong to this warehouse (fingerprint \(found), warehouse expects \(expected))"
            case .sqlite(let path, let message):
                return "\(path): \(message)"
            }
        }
    }

    /// Opens (creating if needed) and migrates the warehouse at `path`.
    public init(path: String, create: Bool = true) throws {
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw Problem.notInitialised(path: path)
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -20000")
        }
        self.path = path
        database = try DatabaseQueue(path: path, configuration: configuration)
        try Schema.migrator.migrate(database)
    }

    init(database: DatabaseQueue, path: String) {
        self.database = database
        self.path = path
    }

    /// A private in-memory warehouse for tests and dry-runs against nothing.
    public init(inMemory: Void = ()) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        path = ":memory:"
        database = try DatabaseQueue(configuration: configuration)
        try Schema.migrator.migrate(database)
    }

    public func read<T>(_ block: (Database) throws -> T) throws -> T {
        try database.read(block)
    }

    public func write<T>(_ block: (Database) throws -> T) throws -> T {
        try database.write(block)
    }

    /// A value of the `meta` table.
    public func meta(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }

    /// Records the key's fingerprint on first use and refuses any other key afterwards.
    public func bindKey(fingerprint: String) throws {
        if let stored = try meta("key_fingerprint") {
            guard stored == fingerprint else {
                throw Problem.keyMismatch(path: path, expected: stored, found: fingerprint)
            }
        } else {
            try setMeta("key_fingerprint", fingerprint)
        }
    }
}

extension Warehouse {
    /// Opens an existing warehouse for reading only, as an immutable file: no lock files,
    /// no -wal or -shm, not a byte written (the dry-run's guarantee). A warehouse left with
    /// a WAL by a killed run is read as of its last checkpoint.
    public convenience init(readOnlyPath path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        let queue = try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: configuration)
        self.init(database: queue, path: path)
    }
}
