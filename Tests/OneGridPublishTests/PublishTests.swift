import Foundation
import GRDB
import OneGridPublish
import OneGridWarehouse
import Testing

/// Publishing the sample warehouse into a real PostgreSQL server (`TestServer`).
@Suite(.enabled(if: TestServer.enabled, TestServer.skipMessage))
struct PublishTests {
    @Test func firstPublishSendsEveryRowUnderTheWarehouseOrigin() async throws {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        let origin = try warehouse.originID()
        let report = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))

        #expect(report.origin == origin)
        #expect(report.from == 0)
        #expect(report.through == (try warehouse.lastChange()))
        let local = try localCounts(warehouse)
        #expect(try await centralCounts(target, origin: origin) == local)
        #expect(report.rows == local.filter { $0.value > 0 })
        #expect(try await TestServer.scalar("SELECT seq::text FROM \(target.schema).publish_watermark WHERE origin = '\(origin)'",
                                            on: target) == String(report.through))
    }

    @Test func republishingSendsNothing() async throws {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        let first = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))
        let digest = try await centralDigest(target)

        let second = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))

        #expect(second.batches == 0)
        #expect(second.changes == 0)
        #expect(second.rows.isEmpty)
        #expect(second.from == first.through && second.through == first.through)
        #expect(try await centralDigest(target) == digest)
    }

    @Test func aChangeThenPublishSendsOnlyThatChange() async throws {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        let origin = try warehouse.originID()
        _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))
        let (eventID, parties, steps) = try warehouse.write { db -> (Int64, Int, Int) in
            let id = try Int64.fetchOne(db, sql: "SELECT min(id) FROM event")!
            try db.execute(sql: "UPDATE event SET status = 'closed', handling_unit = 'tab\there' WHERE id = ?", arguments: [id])
            return (id,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM event_party WHERE event_id = ?", arguments: [id])!,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM event_step WHERE event_id = ?", arguments: [id])!)
        }

        let report = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))

        #expect(report.changes == 1)
        var expected = ["event": 1]
        if parties > 0 { expected["event_party"] = parties }
        if steps > 0 { expected["event_step"] = steps }
        #expect(report.rows == expected)
        #expect(try await TestServer.rows("""
            SELECT status, handling_unit FROM \(target.schema).event WHERE origin = '\(origin)' AND id = \(eventID)
            """, on: target) == [["closed", "tab\there"]])
    }

    @Test func aRowDeletedInTheWarehouseIsDeletedCentrally() async throws {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        let origin = try warehouse.originID()
        _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))
        let (eventID, lastParty) = try warehouse.write { db -> (Int64, Int64) in
            let row = try Row.fetchOne(db, sql: "SELECT event_id, max(ordinal) FROM event_party GROUP BY event_id ORDER BY event_id LIMIT 1")!
            try db.execute(sql: "DELETE FROM event_party WHERE event_id = ? AND ordinal = ?", arguments: [row[0], row[1]])
            try db.execute(sql: "DELETE FROM reject WHERE id = (SELECT min(id) FROM reject)")
            return (row[0], row[1])
        }

        _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))

        #expect(try await TestServer.scalar("""
            SELECT count(*)::text FROM \(target.schema).event_party WHERE origin = '\(origin)' AND event_id = \(eventID) AND ordinal = \(lastParty)
            """, on: target) == "0")
        #expect(try await centralCounts(target, origin: origin) == (try localCounts(warehouse)))
    }

    @Test func twoOriginsShareOneSchemaAndAnUpdateTouchesOnlyItsOwnOrigin() async throws {
        let target = try TestServer.target()
        let (nanjing, _) = try SampleWarehouse.copy()
        let (suzhou, _) = try SampleWarehouse.copy()
        _ = try await Publisher(warehouse: nanjing).publish(TestServer.options(target, origin: "320100"))
        _ = try await Publisher(warehouse: suzhou).publish(TestServer.options(target, origin: "320500"))
        let events = try localCounts(nanjing)["event"]!
        try suzhou.write { db in try db.execute(sql: "UPDATE event SET title = 'suzhou only' WHERE id = (SELECT min(id) FROM event)") }

        _ = try await Publisher(warehouse: suzhou).publish(TestServer.options(target, origin: "320500"))

        #expect(try await TestServer.rows("""
            SELECT origin, count(*)::text FROM \(target.schema).event GROUP BY origin ORDER BY origin
            """, on: target) == [["320100", String(events)], ["320500", String(events)]])
        #expect(try await TestServer.rows("""
            SELECT origin FROM \(target.schema).event WHERE title = 'suzhou only'
            """, on: target) == [["320500"]])
    }

    @Test func aPublishInSmallBatchesEndsIdenticalToOneBatch() async throws {
        let whole = try TestServer.target()
        let batched = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(whole, origin: "x"))

        let report = try await Publisher(warehouse: warehouse).publish(TestServer.options(batched, origin: "x", batchSize: 37))

        #expect(report.batches > 3)
        #expect(try await centralDigest(batched) == (try await centralDigest(whole)))
    }

    @Test func aNewerCentralSchemaIsRefusedWithItsVersion() async throws {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))
        try await TestServer.execute("UPDATE \(target.schema).onegrid_schema SET version = 99", on: target)

        await #expect(throws: PublishError.schemaNewer(schema: target.schema, found: 99, supported: CentralSchema.version)) {
            _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))
        }
    }

    @Test func aWrongPasswordIsRefusedNamingTheUser() async throws {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        var options = TestServer.options(target)
        options.passwords = PasswordSource(environment: ["PGPASSWORD": "not-the-password"], home: "/nonexistent")

        await #expect(throws: PublishError.authentication(target: target.description, user: target.user,
                                                          message: "password authentication failed for user \"\(target.user)\"")) {
            _ = try await Publisher(warehouse: warehouse).publish(options)
        }
    }

    @Test func citusAskedOfAPlainServerIsRefusedBeforeAnyRow() async throws {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        var options = TestServer.options(target)
        options.citus = true

        await #expect(throws: PublishError.citusMissing(database: target.database)) {
            _ = try await Publisher(warehouse: warehouse).publish(options)
        }
        #expect(try await TestServer.scalar("SELECT count(*)::text FROM \(target.schema).event", on: target) == "0")
    }

    @Test func anotherWarehouseUnderAPublishedOriginIsRefused() async throws {
        let target = try TestServer.target()
        let (first, _) = try SampleWarehouse.copy()
        let published = try await Publisher(warehouse: first).publish(TestServer.options(target, origin: "shared"))
        let empty = try Warehouse()

        await #expect(throws: PublishError.watermarkAhead(origin: "shared", published: published.through,
                                                          local: try empty.lastChange())) {
            _ = try await Publisher(warehouse: empty).publish(TestServer.options(target, origin: "shared"))
        }
    }
}
