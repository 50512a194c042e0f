import Foundation
import GRDB
import Testing
import OneGridExport
import OneGridModel
import OneGridWarehouse

/// Not a timed assertion: streams 200,000 generated events to CSV and XLSX, checks the row
/// counts, and prints rows per second and the process's peak resident memory.
@Test func streamsTwoHundredThousandEvents() throws {
    let count = 200_000
    let dir = try temporaryDirectory()
    let warehouse = try Warehouse(path: dir + "/big.sqlite")
    try warehouse.write { db in
        try Sample.insert(db)
        let statement = try db.makeStatement(sql: """
            INSERT INTO event (source, source_key, version_rank, content_hash, category, status, satisfaction,
              reported_at, closed_at, grid_code, community_code, street_code, district_code, place_id, source_file_id, line)
            VALUES (?, ?, 'r', 'x', ?, ?, ?, ?, ?, '320116001003001', '320116001003', '320116001', '320116', 1, 1, ?)
            """)
        let feeds = ["hotline12345", "petition", "patrol"]
        let statuses = ["closed", "processing", "visited", "dispatched"]
        let base = Sample.t("2020-01-01 08:00:00")
        for i in 0..<count {
            let reported = base + Int64(i) * 97
            try statement.execute(arguments: [feeds[i % 3], "GEN-\(i)", i % 2 == 0 ? "HB.01.03" : "CG.02", statuses[i % 4],
                                              i % 5 == 0 ? "satisfied" : nil, reported, i % 4 == 0 ? reported + 7200 : nil, i])
        }
    }
    let exporter = Exporter(warehouse: warehouse)
    for format in [ExportFormat.csv, .xlsx] {
        let start = Date()
        let summary = try exporter.export(table: .events, format: format, to: dir + "/events.\(format.rawValue)", options: options())
        let seconds = Date().timeIntervalSince(start)
        #expect(summary.rows == count + 8)
        print("THROUGHPUT events → \(format.rawValue): \(summary.rows) rows, \(summary.bytes) bytes in \(String(format: "%.2f", seconds)) s = \(Int(Double(summary.rows) / seconds)) rows/s; peak RSS \(peakResidentKiB()) KiB")
    }
    if let listing = try run("/usr/bin/unzip", ["-l", dir + "/events.xlsx"]) {
        #expect(String(decoding: listing, as: UTF8.self).contains("xl/worksheets/sheet1.xml"))
    }
    let monthly = try exporter.rows(table: .gridMonthly, options: options()).rows
    #expect(monthly.reduce(0) { total, row in total + (Int(row[4].plainText) ?? 0) } == count + 8)
}

/// VmHWM from /proc/self/status (Linux); 0 elsewhere.
func peakResidentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}
