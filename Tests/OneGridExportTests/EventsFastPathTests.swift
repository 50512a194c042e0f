import Foundation
import GRDB
import Testing
@testable import OneGridExport
import OneGridModel
import OneGridWarehouse

/// The events table is read in one pass with its parties merged in and rendered from bytes
/// (`EventsTable.blocks`, `PartyCursor`, `CSVTableWriter.write(block:)`); these check it
/// against hand-written rows, byte for byte.
@Suite struct EventsFastPathTests {
    /// RFC 4180 as the export documents it, written independently of `CSVTableWriter`.
    static func csv(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { field in
                let quote = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
                    || field.hasPrefix(" ") || field.hasSuffix(" ")
                return quote ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",") + "\r\n"
        }.joined()
    }

    @Test func csvEqualsTheHandWrittenRowsWithPartiesInOrdinalOrder() throws {
        let path = try temporaryDirectory() + "/events.csv"
        var o = options()
        o.bom = false
        let summary = try Exporter(warehouse: try Sample.warehouse()).export(table: .events, format: .csv, to: path, options: o)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        #expect(summary.rows == 8)
        // CSV time headers say their zone.
        let headers = Expected.eventsHeaders.map { $0.hasSuffix("_at") ? $0 + "(+08:00)" : $0 }
        #expect(text == Self.csv([headers] + Expected.events))
    }

    @Test func partiesOfEventsFarApartAreFoundAfterSkippedOnes() throws {
        let warehouse = try Sample.warehouse()
        try warehouse.write { db in
            // 200 more events, one party each; only every 100th is in grid …002.
            for id in Int64(101)...300 {
                try db.execute(sql: """
                    INSERT INTO event (id, source, source_key, version_rank, content_hash, status, reported_at, grid_code,
                      source_file_id, line) VALUES (?, 'patrol', ?, 'r', 'x', 'closed', ?, ?, 3, 1)
                    """, arguments: [id, "G\(id)", Sample.t("2020-06-01 08:00:00"),
                                     id % 100 == 0 ? "320116001003002" : "320113005001001"])
                try db.execute(sql: "INSERT INTO event_party VALUES (?, 0, NULL, 'reporter', 0, NULL, ?)",
                               arguments: [id, "G\(id)*"])
            }
        }
        let rows = plain(try Exporter(warehouse: warehouse)
            .rows(table: .events, options: options(ExportFilter(grid: "320116001003002"))).rows)
        #expect(rows.map { [$0[0], $0[29]] } == [
            ["4", "reporter:杜**"], ["8", "petitioner:张**"], ["200", "reporter:G200*"], ["300", "reporter:G300*"],
        ])
    }

    @Test func timesAndNumbersRenderAsTheirTextForms() {
        var time = BeijingTimeText()
        for seconds in stride(from: Int64(-200_000), through: 2_000_000_000, by: 7_777_777) + [0, 1_592_892_331] {
            var out: [UInt8] = []
            time.append(seconds, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Timestamp(seconds: seconds).beijingText)
        }
        for n: Int64 in [0, 7, 10, 99, 100, 12345, -1, -250, Int64.max, Int64.min] {
            var out: [UInt8] = []
            appendDecimal(n, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(n))
        }
    }
}
