import Foundation
import GRDB
import OneGridPublish
import OneGridWarehouse
import Testing

/// A batch's rows go straight into a table when the target holds none of this origin in the
/// batch's key range, and through the staged merge otherwise. Whichever path each batch and
/// table takes, the central tables end as a fresh publish of the same warehouse.
@Suite(.enabled(if: TestServer.enabled, TestServer.skipMessage))
struct CopyOrMergeTests {
    /// New entities beyond the published keys, updated and deleted ones, in one warehouse change.
    func change(_ warehouse: Warehouse) throws {
        try warehouse.write { db in
            let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('event') WHERE name NOT IN ('id', 'source_key')")
                .joined(separator: ", ")
            let first = try Int64.fetchOne(db, sql: "SELECT min(id) FROM event")!
            let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM event")!
            for k: Int64 in 1...3 {
                try db.execute(sql: "INSERT INTO event (id, source_key, \(columns)) SELECT ?, source_key || '#new', \(columns) FROM event WHERE id = ?",
                               arguments: [last + k, first + k])
                try db.execute(sql: """
                    INSERT INTO event_party SELECT ?, ordinal, person_id, role, is_lead, worker_id, masked_name FROM event_party WHERE event_id = ?
                    """, arguments: [last + k, first + k])
            }
            try db.execute(sql: "UPDATE event SET title = 'changed\\there' WHERE id = ?", arguments: [first])
            try db.execute(sql: """
                DELETE FROM event_party WHERE (event_id, ordinal) = (SELECT event_id, max(ordinal) FROM event_party
                                                                      WHERE event_id > ? GROUP BY event_id ORDER BY event_id LIMIT 1)
                """, arguments: [first])
            try db.execute(sql: "DELETE FROM reject WHERE id = (SELECT max(id) FROM reject)")
            try db.execute(sql: "INSERT INTO category (code, name, parent_code, level) VALUES ('ZZ', '新增类', NULL, 1)")
        }
    }

    @Test(arguments: [20_000, 2])
    func changesAfterAPublishEndAsAFreshPublishOfTheChangedWarehouse(batchSize: Int) async throws {
        let published = try TestServer.target()
        let fresh = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(published, origin: "o"))
        try change(warehouse)

        let report = try await Publisher(warehouse: warehouse).publish(TestServer.options(published, origin: "o", batchSize: batchSize))
        _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(fresh, origin: "o"))

        #expect(report.changes == 7)   // 3 new events, 1 updated, 1 losing a party, 1 reject deleted, 1 new category
        #expect(try await centralDigest(published) == (try await centralDigest(fresh)))
        #expect(try await centralCounts(published, origin: "o") == (try localCounts(warehouse)))
    }
}
