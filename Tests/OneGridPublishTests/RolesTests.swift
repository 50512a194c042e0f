import Foundation
import Logging
import OneGridPublish
import PostgresNIO
import Testing

/// The two roles docs/publish.md gives, created as it says: a publisher that owns the schema
/// it creates, and an analyst who reads the four views and none of the tables beneath.
@Suite(.enabled(if: TestServer.enabled, TestServer.skipMessage))
struct RolesTests {
    /// Rows of `sql` (every column cast to text by the query) as `user`.
    func rows(_ sql: String, as user: String, password: String, on target: PublishTarget) async throws -> [[String?]] {
        try await TestServer.rows(sql, on: target, as: user, password: password)
    }

    @Test func theAnalystReadsTheViewsAndNotTheTables() async throws {
        let admin = try TestServer.target()
        let suffix = admin.schema.dropFirst(2)
        let (publisher, analyst) = ("pub_\(suffix)", "ana_\(suffix)")
        let (publisherPassword, analystPassword) = (UUID().uuidString, UUID().uuidString)
        let database = admin.database
        for statement in [
            "CREATE ROLE \(publisher) LOGIN PASSWORD '\(publisherPassword)'",
            "GRANT CONNECT, CREATE ON DATABASE \(database) TO \(publisher)",
            "CREATE ROLE \(analyst) LOGIN PASSWORD '\(analystPassword)'",
            "GRANT CONNECT ON DATABASE \(database) TO \(analyst)",
        ] { try await TestServer.execute(statement, on: admin) }
        var target = admin
        target.user = publisher
        let (warehouse, _) = try SampleWarehouse.copy()
        let events = try localCounts(warehouse)["event"]!
        var options = TestServer.options(target, origin: "o")
        options.passwords = PasswordSource(environment: ["PGPASSWORD": publisherPassword], home: "/nonexistent")

        _ = try await Publisher(warehouse: warehouse).publish(options)
        let s = target.schema
        _ = try await rows("GRANT USAGE ON SCHEMA \(s) TO \(analyst)", as: publisher, password: publisherPassword, on: target)
        _ = try await rows("GRANT SELECT ON \(s).events_wide, \(s).incidents, \(s).grid_monthly, \(s).alerts TO \(analyst)",
                           as: publisher, password: publisherPassword, on: target)

        #expect(try await rows("SELECT count(*)::text FROM \(s).events_wide", as: analyst, password: analystPassword, on: target)
                == [[String(events)]])
        for view in ["incidents", "grid_monthly", "alerts"] {
            _ = try await rows("SELECT count(*) FROM \(s).\(view)", as: analyst, password: analystPassword, on: target)
        }
        for table in ["event", "person", "publish_watermark"] {
            await #expect {
                _ = try await rows("SELECT count(*) FROM \(s).\(table)", as: analyst, password: analystPassword, on: target)
            } throws: { error in
                (error as? PSQLError)?.serverInfo?[.message] == "permission denied for table \(table)"
            }
        }
    }
}
