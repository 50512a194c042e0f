import Foundation
@testable import OneGridCodecs
import Testing

@Suite("Parquet Hive-style partitions")
struct ParquetPartitionedWriterTests {
    let schema = try! ParquetSchema([ParquetColumn("event_id", .string), ParquetColumn("n", .int64)])

    func files(under directory: String) -> [String] {
        let all = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".parquet") }.sorted()
    }

    @Test func partitionValuesAreEscapedAsHiveEscapesThem() {
        #expect(ParquetPartitionedWriter.escape("2020-06") == "2020-06")
        #expect(ParquetPartitionedWriter.escape("鼓楼区") == "鼓楼区")
        #expect(ParquetPartitionedWriter.escape("a/b=c%d") == "a%2Fb%3Dc%25d")
        #expect(ParquetPartitionedWriter.escape("line\nbreak") == "line%0Abreak")
        #expect(ParquetPartitionedWriter.escape("..") == "%2E%2E")
        #expect(ParquetPartitionedWriter.escape(nil) == "__HIVE_DEFAULT_PARTITION__")
        #expect(ParquetPartitionedWriter.escape("") == "__HIVE_DEFAULT_PARTITION__")
    }

    @Test func partitionColumnsThatReadersWouldHideOrThatRepeatAFileColumnAreRefused() {
        for name in ["_month", ".month", "a/b", "a=b", ""] {
            #expect(throws: ParquetError.self) {
                try ParquetPartitionedWriter(directory: temporaryPath("-ds"), partitionColumn: name, schema: schema)
            }
        }
        #expect(throws: ParquetError.partition("partition column 'n' is also a column of the files")) {
            try ParquetPartitionedWriter(directory: temporaryPath("-ds"), partitionColumn: "n", schema: schema)
        }
    }

    @Test func sortedRowsGiveOneFilePerPartition() throws {
        let directory = temporaryPath("-ds")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try ParquetPartitionedWriter(directory: directory, partitionColumn: "month", schema: schema, maxOpenFiles: 1)
        for (i, month) in ["2020-05", "2020-05", "2020-06", "2020-07"].enumerated() {
            try writer.append(row: [.string("e\(i)"), .int64(Int64(i))], partition: month)
        }
        let result = try writer.finish()
        #expect(result.files == ["month=2020-05/part-0.parquet", "month=2020-06/part-0.parquet", "month=2020-07/part-0.parquet"])
        #expect(files(under: directory) == result.files)
        #expect(result.rows == 4)
    }

    @Test func unsortedRowsBeyondTheOpenFileBoundStartFurtherParts() throws {
        let directory = temporaryPath("-ds")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try ParquetPartitionedWriter(directory: directory, partitionColumn: "month", schema: schema, maxOpenFiles: 2)
        // 05 and 06 open; 07 closes 05 (least recently used); 05 again closes 06 and starts part-1.
        for (i, month) in ["2020-05", "2020-06", "2020-07", "2020-05"].enumerated() {
            try writer.append(row: [.string("e\(i)"), .int64(Int64(i))], partition: month)
        }
        let result = try writer.finish()
        #expect(result.files == ["month=2020-05/part-0.parquet", "month=2020-06/part-0.parquet",
                                 "month=2020-07/part-0.parquet", "month=2020-05/part-1.parquet"])
        #expect(files(under: directory) == result.files.sorted())
    }

    @Test(.enabled(if: ParquetReadback.enabled, "pip install pyarrow duckdb (required when CI=true)"))
    func aPartitionedFolderReadsBackAsOneTableWithThePartitionColumn() throws {
        let directory = temporaryPath("-ds")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try ParquetPartitionedWriter(directory: directory, partitionColumn: "month", schema: schema, maxOpenFiles: 2)
        let months: [String?] = ["2020-06", "2020-05", nil, "2020-07", "2020-05", "2020-06", nil, "2020-08"]
        var expected: [[String]] = []
        for i in 0..<400 {
            let month = months[i % months.count]
            try writer.append(row: [.string("事件\(i)"), i % 9 == 0 ? .null : .int64(Int64(i))], partition: month)
            expected.append(["s:事件\(i)", i % 9 == 0 ? "null" : "i:\(i)", month.map { "s:" + $0 } ?? "null"])
        }
        try writer.finish()
        let read = try ParquetReadback.read(directory, dataset: true)
        #expect(read.pyarrow.columns == ["event_id", "n", "month"])
        #expect(read.pyarrow.rows == expected.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(read.duckdb.columns == ["event_id", "n", "month"])
        #expect(read.duckdb.rows == expected.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
