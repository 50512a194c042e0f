import Foundation
import GRDB
import Logging
import OneGridMapping
import OneGridPipeline
import OneGridPublish
import OneGridWarehouse
import PostgresNIO
import Testing

/// The repository root, found from this file (tests use the committed samples and mappings).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The PostgreSQL server the tests publish to: `ONEGRID_TEST_POSTGRES` (a URL without
/// password) and `ONEGRID_TEST_POSTGRES_PASSWORD`, as `scripts/test-postgres.sh` exports
/// them. Unset, the server tests skip on a developer machine and fail in CI (`CI=true`).
enum TestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["ONEGRID_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static let password = environment["ONEGRID_TEST_POSTGRES_PASSWORD"]
    static let inCI = environment["CI"] == "true"

    /// Whether the server tests run: with a server, or in CI (where they then fail).
    static let enabled = url != nil || inCI
    static let skipMessage: Comment = "ONEGRID_TEST_POSTGRES is not set: run `scripts/test-postgres.sh swift test` to start a throwaway server"

    /// The server's target with a fresh schema of its own, so tests never see each other's rows.
    static func target(schema: String = freshSchema()) throws -> PublishTarget {
        guard let url else {
            Issue.record("CI=true and ONEGRID_TEST_POSTGRES is not set: the PostgreSQL tests must run in CI (scripts/test-postgres.sh)")
            throw TestServerMissing()
        }
        return try PublishTarget.parse(url, schema: schema)
    }

    static var passwords: PasswordSource {
        PasswordSource(environment: password.map { ["PGPASSWORD": $0] } ?? [:], home: "/nonexistent")
    }

    static func freshSchema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    static func options(_ target: PublishTarget, origin: String? = nil, batchSize: Int = 20_000) -> PublishOptions {
        PublishOptions(target: target, origin: origin, batchSize: batchSize, passwords: passwords)
    }

    /// A connection for the tests' own queries: as the target's user, or as `user` with its own password.
    static func connect(_ target: PublishTarget, as user: String? = nil, password userPassword: String? = nil) async throws -> PostgresConnection {
        let configuration = PostgresConnection.Configuration(host: target.host, port: target.port, username: user ?? target.user,
                                                             password: user == nil ? password : userPassword,
                                                             database: target.database, tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 7,
                                                    logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// Rows of `sql` with every column cast to text by the query itself (nil for NULL).
    static func rows(_ sql: String, on target: PublishTarget, as user: String? = nil, password: String? = nil) async throws -> [[String?]] {
        let connection = try await connect(target, as: user, password: password)
        defer { Task { try? await connection.close() } }
        var out: [[String?]] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Publisher.testLogger) {
            out.append(try row.makeRandomAccess().map { try $0.decode(String?.self) })
        }
        try await connection.close()
        return out
    }

    static func scalar(_ sql: String, on target: PublishTarget) async throws -> String? {
        try await rows(sql, on: target).first?.first ?? nil
    }

    static func execute(_ sql: String, on target: PublishTarget) async throws {
        _ = try await rows(sql, on: target)
    }
}

struct TestServerMissing: Error {}

extension Publisher {
    static let testLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// A warehouse loaded from the committed samples (reference data and every feed), in its
/// own temporary folder; built once per process and copied for each test that changes it.
enum SampleWarehouse {
    static let built: String = {
        let folder = NSTemporaryDirectory() + "onegrid-publish-sample-" + UUID().uuidString
        let job = DemoJob(directory: folder, sampleData: repositoryRoot + "/SampleData",
                          mappings: MappingCatalog(folder: repositoryRoot + "/Mappings"))
        _ = try! job.run(log: { _ in })
        return folder
    }()

    /// A private copy of the sample warehouse (its folder holds the key too).
    static func copy() throws -> (warehouse: Warehouse, folder: String) {
        let folder = NSTemporaryDirectory() + "onegrid-publish-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A checkpointed single file: open, checkpoint, then copy.
        let source = try Warehouse(path: built + "/onegrid.sqlite", create: false)
        try source.database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try source.database.close()
        for name in ["onegrid.sqlite", "onegrid.key"] {
            try FileManager.default.copyItem(atPath: built + "/" + name, toPath: folder + "/" + name)
        }
        return (try Warehouse(path: folder + "/onegrid.sqlite", create: false), folder)
    }
}

/// Row counts of the published tables: in the warehouse, and in the central schema for one origin.
func localCounts(_ warehouse: Warehouse) throws -> [String: Int] {
    try warehouse.read { db in
        var out: [String: Int] = [:]
        for table in ChangeFeed.tables { out[table.name] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)")! }
        return out
    }
}

func centralCounts(_ target: PublishTarget, origin: String) async throws -> [String: Int] {
    var out: [String: Int] = [:]
    for table in ChangeFeed.tables {
        out[table.name] = Int(try await TestServer.scalar(
            "SELECT count(*)::text FROM \(target.schema).\(table.name) WHERE origin = '\(origin)'", on: target) ?? "") ?? -1
    }
    return out
}

/// A digest of each central table's rows (origin left out), to compare two schemas.
func centralDigest(_ target: PublishTarget) async throws -> [String: String] {
    var out: [String: String] = [:]
    for table in ChangeFeed.tables {
        let columns = table.columns.map(\.name).joined(separator: ", ")
        out[table.name] = try await TestServer.scalar("""
            SELECT count(*)::text || ':' || coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '')
            FROM (SELECT (\(columns))::text AS r FROM \(target.schema).\(table.name)) x
            """, on: target)
    }
    return out
}
