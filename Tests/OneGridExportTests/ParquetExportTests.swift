import Foundation
import OneGridExport
import OneGridModel
import Testing

/// Reads an exported Parquet file back with pyarrow and DuckDB
/// (`Tests/Fixtures/python/parquet_readback.py`). Without them the tests skip, except when
/// `CI=true`: there a missing reader fails.
enum ParquetReadback {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/python/parquet_readback.py").path
    static let enabled: Bool = ProcessInfo.processInfo.environment["CI"] == "true"
        || (try? read(["-c", "import pyarrow, duckdb"]).status) == 0

    struct Reader: Decodable {
        var columns: [String]
        var types: [String]
        var rows: [[String]]
    }

    struct Both: Decodable {
        var pyarrow: Reader
        var duckdb: Reader
    }

    static func read(_ path: String, dataset: Bool = false) throws -> Both {
        let result = try read([script, path] + (dataset ? ["--dataset"] : []))
        try #require(result.status == 0, "parquet_readback.py exited \(result.status) (pyarrow and duckdb are required when CI=true)")
        return try JSONDecoder().decode(Both.self, from: result.stdout)
    }

    private static func read(_ arguments: [String]) throws -> (status: Int32, stdout: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// A read-back cell in the CSV export's text form: Beijing time for timestamps, reals
    /// as `ExportValue.plainText` writes them, null as empty.
    static func plain(_ tag: String) -> String {
        if tag == "null" { return "" }
        let body = String(tag.dropFirst(2))
        switch tag.prefix(2) {
        case "s:", "i:": return body
        case "d:": return ExportValue.real(Double(bitPattern: UInt64(body, radix: 16)!)).plainText
        case "t:":
            let micros = Int64(body)!
            #expect(micros % 1_000_000 == 0, "a timestamp of whole seconds")
            return ExportValue.timestamp(Timestamp(seconds: micros / 1_000_000)).plainText
        default: return "?" + tag
        }
    }
}

@Suite(.enabled(if: ParquetReadback.enabled, "pyarrow and duckdb are not installed"))
struct ParquetExportTests {
    let exporter = Exporter(warehouse: try! Sample.warehouse())

    @Test(arguments: ExportTable.allCases)
    func everyValueReadsBackAsInTheCSVExport(table: ExportTable) throws {
        let path = try temporaryDirectory() + "/\(table.rawValue).parquet"
        let o = options(headers: .zh)
        let summary = try exporter.export(table: table, format: .parquet, to: path, options: o)
        let expected = try exporter.rows(table: table, options: o)
        let back = try ParquetReadback.read(path)
        for reader in [back.pyarrow, back.duckdb] {
            #expect(reader.columns == expected.headers)
            #expect(reader.rows.map { $0.map(ParquetReadback.plain) } == plain(expected.rows))
        }
        #expect(summary.rows == expected.rows.count)
        #expect(summary.manifest.format == "parquet")
    }

    @Test func eventColumnsAreTyped() throws {
        let path = try temporaryDirectory() + "/events.parquet"
        try exporter.export(table: .events, format: .parquet, to: path, options: options())
        let reader = try ParquetReadback.read(path).duckdb
        let types = Dictionary(uniqueKeysWithValues: zip(reader.columns, reader.types))
        #expect(types["event_id"] == "BIGINT")
        #expect(types["source"] == "VARCHAR")
        #expect(types["reported_at"] == "TIMESTAMP WITH TIME ZONE")
    }

    @Test(arguments: [(ExportTable.events, ExportPartition.month), (.events, .district), (.gridMonthly, .month), (.places, .district)])
    func aPartitionedExportIsAHiveFolderHoldingEveryRow(table: ExportTable, partition: ExportPartition) throws {
        let path = try temporaryDirectory() + "/\(table.rawValue)"
        var o = options()
        o.partitionBy = partition
        let summary = try exporter.export(table: table, format: .parquet, to: path, options: o)
        let expected = try exporter.rows(table: table, options: options())
        let source = partition == .month
            ? (expected.headers.firstIndex(of: "month") ?? expected.headers.firstIndex(of: "reported_at")!)
            : expected.headers.firstIndex(of: "district_code")!
        // The folder holds the value; a column named like the partition is only there.
        let kept = expected.headers.indices.filter { expected.headers[$0] != partition.rawValue }
        let rows = plain(expected.rows).map { row in
            kept.map { row[$0] } + [row[source].isEmpty ? "" : String(row[source].prefix(partition == .month ? 7 : 99))]
        }
        let back = try ParquetReadback.read(path, dataset: true)
        for reader in [back.pyarrow, back.duckdb] {
            #expect(reader.columns == kept.map { expected.headers[$0] } + [partition.rawValue])
            #expect(reader.rows.map { $0.map(ParquetReadback.plain) }.sorted { $0.lexicographicallyPrecedes($1) }
                    == rows.sorted { $0.lexicographicallyPrecedes($1) })
        }
        #expect(summary.rows == expected.rows.count)
        #expect(summary.manifest.options["partitionBy"] == partition.rawValue)
    }

    @Test func aTableWithoutThePartitionsColumnIsRefusedAndLeavesNoFolder() throws {
        let path = try temporaryDirectory() + "/people"
        var o = options()
        o.partitionBy = .district
        #expect(throws: ExportError.invalidOption(name: "--partition-by", message: "people has no column to partition by district")) {
            try exporter.export(table: .people, format: .parquet, to: path, options: o)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aPartitionedExportRefusesAFolderHoldingFilesAndKeepsThem() throws {
        let path = try temporaryDirectory() + "/events"
        try FileManager.default.createDirectory(atPath: path + "/month=2019-01", withIntermediateDirectories: true)
        var o = options()
        o.partitionBy = .month
        #expect(throws: ExportError.invalidOption(name: "--out", message: "\(path) is a folder that is not empty; remove it or choose another")) {
            try exporter.export(table: .events, format: .parquet, to: path, options: o)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["month=2019-01"])
    }
}
