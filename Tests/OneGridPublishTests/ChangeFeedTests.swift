import Foundation
import GRDB
import OneGridWarehouse
import Testing

/// The warehouse's numbering of committed changes (migration v4), which publish reads.
struct ChangeFeedTests {
    func lines(_ batch: ChangeBatch?, _ table: String) -> [String] {
        guard let rows = batch?.tables.first(where: { $0.table.name == table }) else { return [] }
        return String(decoding: rows.lines, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func keys(_ batch: ChangeBatch?) -> [String] {
        String(decoding: batch?.changedKeys ?? [], as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func aWarehouseHasAStableOriginIdFromItsFirstOpening() throws {
        let folder = NSTemporaryDirectory() + "onegrid-origin-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let first = try Warehouse(path: folder + "/w.sqlite").originID()
        let again = try Warehouse(path: folder + "/w.sqlite").originID()
        #expect(first.count == 16 && first.allSatisfy(\.isHexDigit))
        #expect(again == first)
        #expect(try Warehouse().originID() != first)
    }

    @Test func insertsUpdatesAndDeletesEachGiveTheirEntityTheNextNumber() throws {
        let w = try Warehouse()
        try w.write { db in
            try db.execute(sql: "INSERT INTO division (code, name, level) VALUES ('320116', '六合区', 'district')")
            try db.execute(sql: "INSERT INTO category (code, name, level) VALUES ('HB', '环境保护', 1)")
        }
        #expect(try w.lastChange() == 2)
        try w.write { db in try db.execute(sql: "UPDATE division SET name = '六合' WHERE code = '320116'") }
        let afterUpdate = try w.changes(after: 2, limit: 10, origin: "o")
        #expect(keys(afterUpdate) == ["division\t320116"])
        #expect(lines(afterUpdate, "division") == ["o\t320116\t六合\tdistrict\t\\N\t\\N"])

        try w.write { db in try db.execute(sql: "DELETE FROM category WHERE code = 'HB'") }
        let afterDelete = try w.changes(after: 3, limit: 10, origin: "o")
        #expect(keys(afterDelete) == ["category\tHB"])
        #expect(lines(afterDelete, "category") == [])
        // One entry per entity: the log holds the latest number of each.
        #expect(try w.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log") } == 2)
        #expect(try w.changes(after: 4, limit: 10, origin: "o") == nil)
    }

    @Test func textIsEscapedForTabSeparatedLinesAndNullsAreMarked() throws {
        let w = try Warehouse()
        try w.write { db in
            try db.execute(sql: "INSERT INTO category (code, name, parent_code, level) VALUES (?, ?, NULL, 2)",
                           arguments: ["A\\B", "tab\there\nnew\rline"])
        }
        let batch = try w.changes(after: 0, limit: 10, origin: "o\tx")
        #expect(lines(batch, "category") == ["o\\tx\tA\\\\B\ttab\\there\\nnew\\rline\t\\N\t2"])
        #expect(keys(batch) == ["category\tA\\\\B"])
    }

    @Test func aBatchStopsAtItsLimitAndTheNextStartsAfterIt() throws {
        let w = try Warehouse()
        try w.write { db in
            for i in 1...5 { try db.execute(sql: "INSERT INTO category (code, name, level) VALUES (?, 'n', 1)", arguments: ["C\(i)"]) }
        }
        let first = try #require(try w.changes(after: 0, limit: 2, origin: "o"))
        #expect(first.through == 2 && first.changedCount == 2)
        let second = try #require(try w.changes(after: first.through, limit: 2, origin: "o"))
        #expect(keys(second) == ["category\tC3", "category\tC4"])
        #expect(try w.changes(after: 4, limit: 2, origin: "o")?.through == 5)
    }

    @Test func timestampsBooleansAndRealsTakeTheirPublishedForms() throws {
        let w = try Warehouse()
        try w.write { db in
            try db.execute(sql: """
                INSERT INTO incident (id, place_key, first_report, last_report, event_count, sources, is_open)
                VALUES (1, 'k', 1590973200, NULL, 2, 'a,b', 0);
                INSERT INTO place (id, place_key, lng, lat, method, confidence) VALUES (1, 'k', 118.79693245678912, NULL, 'std', 0.1);
                """)
        }
        let batch = try w.changes(after: 0, limit: 10, origin: "o")
        #expect(lines(batch, "incident") == ["o\t1\tk\t\\N\t\\N\t\\N\t2020-06-01 01:00:00+00\t\\N\t2\ta,b\tf"])
        #expect(lines(batch, "place") == ["o\t1\tk\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t118.79693245678912\t\\N\tstd\t0.10000000000000001"])
    }

    @Test func aPartyOrStepChangeMarksItsEventAndTheBatchCarriesTheWholeEvent() throws {
        let w = try Warehouse()
        try w.write { db in
            try db.execute(sql: """
                INSERT INTO run (id, command, started_at, state) VALUES (1, 'test', 0, 'done');
                INSERT INTO source_file (id, run_id, feed, path, sha256, size, mapping_hash, state, started_at)
                VALUES (1, 1, 'hotline', 'f.csv', 'x', 1, 'h', 'loaded', 0);
                INSERT INTO event (id, source, source_key, version_rank, content_hash, source_file_id, line)
                VALUES (7, 'hotline', 'K1', 'r', 'c', 1, 2);
                INSERT INTO event_step (event_id, ordinal, action) VALUES (7, 1, '受理'), (7, 2, '派单');
                """)
        }
        let before = try w.lastChange()
        try w.write { db in try db.execute(sql: "UPDATE event_step SET unit = '街道' WHERE event_id = 7 AND ordinal = 2") }
        let batch = try w.changes(after: before, limit: 10, origin: "o")
        #expect(keys(batch) == ["event\t7"])
        #expect(lines(batch, "event").count == 1)
        #expect(lines(batch, "event_step") == ["o\t7\t1\t\\N\t受理\t\\N\t\\N", "o\t7\t2\t\\N\t派单\t街道\t\\N"])
    }
}
