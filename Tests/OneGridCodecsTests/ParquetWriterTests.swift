import Foundation
@testable import OneGridCodecs
import Testing

/// The bytes Parquet's metadata and pages are made of, checked exactly.
@Suite("Parquet encodings")
struct ParquetEncodingTests {
    @Test func thriftCompactStructUsesShortAndLongFieldHeaders() {
        var s = ThriftStruct()
        s.set(1, .i32(1))
        s.set(4, .string("a"))
        s.set(20, .i64(-1))
        s.set(21, .bool(true))
        // 0x15: delta 1, i32; zigzag(1) = 2. 0x38: delta 3, binary. Field 20 is 16 past
        // field 4: a long header (type 6, zigzag(20) = 40). Bools live in the header.
        #expect(ThriftCompactEncoder.encode(s) == [0x15, 0x02, 0x38, 0x01, 0x61, 0x06, 0x28, 0x01, 0x11, 0x00])
    }

    @Test func thriftListsOfFifteenOrMoreCarryTheirSizeAfterTheHeader() {
        var short = ThriftStruct()
        short.set(1, .list(element: .i32, [.i32(0), .i32(-1)]))
        #expect(ThriftCompactEncoder.encode(short) == [0x19, 0x25, 0x00, 0x01, 0x00])
        var long = ThriftStruct()
        long.set(1, .list(element: .i32, Array(repeating: .i32(1), count: 15)))
        #expect(ThriftCompactEncoder.encode(long) == [0x19, 0xF5, 0x0F] + Array(repeating: 0x02, count: 15) + [0x00])
    }

    @Test func varintsSpanBytesSevenBitsAtATime() {
        var out: [UInt8] = []
        ThriftCompactEncoder.appendVarint(300, to: &out)
        #expect(out == [0xAC, 0x02])
        #expect(ThriftCompactEncoder.zigzag(Int64.min) == UInt64.max)
    }

    @Test func aLongRepeatIsOneRunLengthRun() {
        var out: [UInt8] = []
        ParquetEncoding.encodeHybrid([UInt32](repeating: 1, count: 10), bitWidth: 1, into: &out)
        #expect(out == [0x14, 0x01])
    }

    @Test func shortStretchesAreBitPackedLeastSignificantBitFirstAndPaddedAtTheEnd() {
        var out: [UInt8] = []
        ParquetEncoding.encodeHybrid([0, 1, 0, 1, 0, 1, 0, 1, 1, 1], bitWidth: 1, into: &out)
        #expect(out == [0x05, 0xAA, 0x03])
    }

    @Test func bitPackingMatchesTheSpecificationsExample() {
        // Encodings.md: 0…7 at bit width 3 pack into 10001000 11000110 11111010.
        var out: [UInt8] = []
        ParquetEncoding.encodeHybrid([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3, into: &out)
        #expect(out == [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010])
    }

    @Test func aRepeatLendsValuesSoTheStretchBeforeItIsAMultipleOfEight() {
        var out: [UInt8] = []
        ParquetEncoding.encodeHybrid([0, 1, 0] + [UInt32](repeating: 1, count: 20), bitWidth: 1, into: &out)
        // 3 literal values + 5 lent = one group of 8 (0,1,0,1,1,1,1,1), then 15 repeats.
        #expect(out == [0x03, 0b1111_1010, 0x1E, 0x01])
    }

    @Test func aRepeatTooShortAfterLendingStaysBitPacked() {
        var out: [UInt8] = []
        ParquetEncoding.encodeHybrid([0, 1, 0] + [UInt32](repeating: 1, count: 10), bitWidth: 1, into: &out)
        #expect(out == [0x05, 0b1111_1010, 0b0001_1111])
    }

    @Test func repeatedValuesWiderThanAByteTakeWholeBytes() {
        var out: [UInt8] = []
        ParquetEncoding.encodeHybrid([UInt32](repeating: 300, count: 9), bitWidth: 9, into: &out)
        #expect(out == [0x12, 0x2C, 0x01])
    }

    @Test func bitWidthIsAtLeastOne() {
        #expect(ParquetEncoding.bitWidth(0) == 1)
        #expect(ParquetEncoding.bitWidth(1) == 1)
        #expect(ParquetEncoding.bitWidth(2) == 2)
        #expect(ParquetEncoding.bitWidth(255) == 8)
        #expect(ParquetEncoding.bitWidth(256) == 9)
    }

    @Test func plainBooleansPackEightToAByte() {
        var out: [UInt8] = []
        ParquetEncoding.appendPlainBooleans([true, false, false, false, false, false, false, true, true], into: &out)
        #expect(out == [0x81, 0x01])
    }
}

/// The writer's contract without an outside reader: layout, errors, bounds.
@Suite("Parquet writer")
struct ParquetWriterTests {
    let schema = try! ParquetSchema([ParquetColumn("name", .string), ParquetColumn("n", .int64)])

    @Test func aFileStartsAndEndsWithTheMagicAndEndsWithTheFooterLength() throws {
        let sink = ByteBufferSink()
        let writer = try ParquetWriter(schema: schema, sink: sink)
        try writer.append(row: [.string("a"), .int64(1)])
        let summary = try writer.finish()
        let bytes = sink.bytes
        #expect(Array(bytes.prefix(4)) == Array("PAR1".utf8))
        #expect(Array(bytes.suffix(4)) == Array("PAR1".utf8))
        let footerLength = bytes[bytes.count - 8..<bytes.count - 4].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(footerLength > 0 && footerLength < bytes.count - 12)
        #expect(summary == ParquetFileSummary(rows: 1, rowGroups: 1, bytes: Int64(bytes.count)))
        #expect(sink.isClosed)
    }

    @Test func schemasNeedDistinctNonEmptyNames() {
        #expect(throws: ParquetError.emptySchema) { try ParquetSchema([]) }
        #expect(throws: ParquetError.duplicateColumn("a")) {
            try ParquetSchema([ParquetColumn("a", .string), ParquetColumn("a", .int64)])
        }
        #expect(throws: ParquetError.emptyColumnName) { try ParquetSchema([ParquetColumn("", .string)]) }
    }

    @Test func aRowOfTheWrongWidthNamesItsRow() throws {
        let writer = try ParquetWriter(schema: schema, sink: ByteBufferSink())
        try writer.append(row: [.null, .null])
        #expect(throws: ParquetError.rowWidth(row: 1, expected: 2, found: 1)) { try writer.append(row: [.null]) }
    }

    @Test func aCellOfTheWrongTypeNamesRowAndColumnAndLeavesNoHalfRow() throws {
        let sink = ByteBufferSink()
        let writer = try ParquetWriter(schema: schema, sink: sink)
        #expect(throws: ParquetError.typeMismatch(row: 0, column: "n", expected: .int64, found: "string")) {
            try writer.append(row: [.string("kept out"), .string("7")])
        }
        try writer.append(row: [.string("x"), .int64(7)])
        #expect(try writer.finish().rows == 1)
    }

    @Test func appendingAfterFinishIsAnError() throws {
        let writer = try ParquetWriter(schema: schema, sink: ByteBufferSink())
        try writer.finish()
        #expect(throws: ParquetError.finished) { try writer.append(row: [.null, .null]) }
        #expect(throws: ParquetError.finished) { try writer.finish() }
    }

    @Test func rowGroupsAreFlushedAtTheRowBoundSoTheSinkFillsAsRowsArrive() throws {
        var options = ParquetWriterOptions()
        options.rowGroupRows = 100
        let sink = ByteBufferSink()
        let writer = try ParquetWriter(schema: schema, sink: sink, options: options)
        for i in 0..<99 { try writer.append(row: [.string("r\(i)"), .int64(Int64(i))]) }
        #expect(sink.bytes.count == 4)
        try writer.append(row: [.string("last"), .int64(99)])
        #expect(sink.bytes.count > 4)
        try writer.append(row: [.null, .null])
        #expect(try writer.finish().rowGroups == 2)
    }

    @Test func rowGroupsAreFlushedAtTheByteBound() throws {
        var options = ParquetWriterOptions()
        options.rowGroupBytes = 64 << 10
        options.dictionaryBytes = 0
        let writer = try ParquetWriter(schema: schema, sink: ByteBufferSink(), options: options)
        let text = String(repeating: "界", count: 100)  // 300 bytes a row
        for i in 0..<2048 { try writer.append(row: [.string(text), .int64(Int64(i))]) }
        let summary = try writer.finish()
        #expect(summary.rowGroups == 8)  // 308 bytes a row: past 64 KiB at the 256th row
        #expect(summary.rows == 2048)
    }

    @Test func aFullDictionaryCutsThePageAndTheRestOfTheRowGroupIsPlain() throws {
        var options = ParquetWriterOptions()
        options.dictionaryBytes = 4 + 2 + 4 + 2  // room for two 2-byte values
        let chunk = ParquetColumnChunk(column: ParquetColumn("s", .string), options: options)
        for (row, text) in ["aa", "bb", "aa", "cc", "aa", "dd"].enumerated() {
            try chunk.append(.string(text), row: Int64(row))
        }
        chunk.cutPage()
        #expect(chunk.pageEncodings == [8, 0])  // RLE_DICTIONARY, then PLAIN
        _ = try chunk.flush(at: 4) { _ in }
        #expect(chunk.pageEncodings.isEmpty)
        try chunk.append(.string("zz"), row: 6)
        chunk.cutPage()
        #expect(chunk.pageEncodings == [8])  // a new row group starts a new dictionary
    }

    @Test func dictionaryKeysCompareBytesNotCanonicalEquivalence() {
        #expect(UTF8Key("é") != UTF8Key("e\u{301}"))
        #expect(UTF8Key("网格") == UTF8Key("网格"))
    }
}

/// Files read back by pyarrow and DuckDB, every value compared exactly.
@Suite("Parquet read back by pyarrow and DuckDB", .enabled(if: ParquetReadback.enabled, "pip install pyarrow duckdb (required when CI=true)"))
struct ParquetReadbackTests {
    static let allTypes = try! ParquetSchema([
        ParquetColumn("title", .string),
        ParquetColumn("count", .int64),
        ParquetColumn("rate", .double),
        ParquetColumn("closed", .boolean),
        ParquetColumn("households", .int32),
        ParquetColumn("reported_at", .timestamp(.microseconds)),
        ParquetColumn("上报时间", .timestamp(.milliseconds)),
    ])

    static let edgeRows: [[ParquetValue]] = [
        [.string("噪音扰民 12345"), .int64(1), .double(0.1), .boolean(true), .int32(1), .timestamp(1_592_892_331_000_000), .timestamp(1_592_892_331_123)],
        [.null, .null, .null, .null, .null, .null, .null],
        [.string(""), .int64(-1), .double(-0.0), .boolean(false), .int32(-1), .timestamp(-1), .timestamp(-86_400_000)],
        [.string("鼓楼区\u{20000}𠀀 \"quoted\", comma\nnewline"), .int64(Int64.max), .double(Double.greatestFiniteMagnitude), .boolean(true), .int32(Int32.max), .timestamp(253_402_300_799_999_999), .timestamp(0)],
        [.string("e\u{301}"), .int64(Int64.min), .double(-Double.leastNonzeroMagnitude), .null, .int32(Int32.min), .timestamp(0), .null],
        [.string("é"), .int64(0), .double(.infinity), .boolean(false), .int32(0), .null, .timestamp(1)],
        [.string("\u{0}\u{1}\t"), .null, .double(-.infinity), .boolean(true), .null, .timestamp(1_000_000), .timestamp(-1)],
        [.string("噪音扰民 12345"), .int64(42), .double(.nan), .boolean(false), .int32(7), .timestamp(2), .timestamp(2)],
    ]

    static let expectedArrowTypes = ["string", "int64", "double", "bool", "int32", "timestamp[us, tz=UTC]", "timestamp[ms, tz=UTC]"]
    static let expectedDuckDBTypes = ["VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "INTEGER", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE"]

    func write(_ rows: [[ParquetValue]], schema: ParquetSchema = allTypes, options: ParquetWriterOptions = ParquetWriterOptions()) throws -> String {
        let path = temporaryPath(".parquet")
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        for row in rows { try writer.append(row: row) }
        try writer.finish()
        return path
    }

    @Test(arguments: [ParquetCompression.gzip(level: 6), .uncompressed])
    func everyTypeWithNullsEmptyStringsCJKAndExtremesReadsBackExactly(compression: ParquetCompression) throws {
        var options = ParquetWriterOptions()
        options.compression = compression
        let path = try write(Self.edgeRows, options: options)
        defer { unlink(path) }
        let read = try ParquetReadback.read(path)
        let expected = ParquetReadback.tags(Self.edgeRows, Self.allTypes)
        #expect(read.pyarrow.columns == Self.allTypes.columns.map(\.name))
        #expect(read.pyarrow.types == Self.expectedArrowTypes)
        #expect(read.pyarrow.rows == expected)
        #expect(read.duckdb.columns == Self.allTypes.columns.map(\.name))
        #expect(read.duckdb.types == Self.expectedDuckDBTypes)
        #expect(read.duckdb.rows == expected)
        let codec = compression == .uncompressed ? "UNCOMPRESSED" : "GZIP"
        #expect(read.pyarrow.footer?.row_groups.first?.columns.allSatisfy { $0.compression == codec } == true)
    }

    @Test func statisticsHoldNullCountsAndTypeOrderedMinimaAndMaxima() throws {
        let path = try write(Self.edgeRows)
        defer { unlink(path) }
        let chunks = try #require(try ParquetReadback.read(path).pyarrow.footer?.row_groups.first?.columns)
        #expect(chunks.map(\.null_count) == [1, 2, 1, 2, 2, 2, 2])
        #expect(chunks[0].min == "s:" && chunks[0].max == "s:鼓楼区\u{20000}𠀀 \"quoted\", comma\nnewline")
        #expect(chunks[1].min == "i:\(Int64.min)" && chunks[1].max == "i:\(Int64.max)")
        #expect(chunks[2].min == ParquetReadback.tag(.double(-.infinity), .double))
        #expect(chunks[2].max == ParquetReadback.tag(.double(.infinity), .double))
        #expect(chunks[4].min == "i:\(Int32.min)" && chunks[4].max == "i:\(Int32.max)")
        #expect(chunks[5].min == "t:-1" && chunks[5].max == "t:253402300799999999")
    }

    @Test func duckDBFiltersOnStatisticsWithoutLosingRows() throws {
        // A wrong minimum or maximum would make DuckDB skip a row group it needs.
        var options = ParquetWriterOptions()
        options.rowGroupRows = 3
        let rows: [[ParquetValue]] = (0..<10).map { (i: Int) -> [ParquetValue] in
            let n = Int64(i)
            let title = ParquetValue.string("v\(9 - i)")
            return [title, .int64(n - 5), .double(Double(i) / 4), .boolean(i % 2 == 0), .int32(Int32(i)), .timestamp(n), .null]
        }
        let path = try write(rows, options: options)
        defer { unlink(path) }
        let result = try ParquetReadback.run(["python3", "-c", """
            import duckdb, sys
            c = duckdb.connect()
            f = "read_parquet('\(path)')"
            print(c.execute(f"select count(*) from {f} where households >= 8").fetchone()[0],
                  c.execute(f"select count(*) from {f} where title = 'v0'").fetchone()[0],
                  c.execute(f"select count(*) from {f} where rate < 0.5").fetchone()[0])
            """])
        #expect(result.status == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "2 1 2\n")
    }

    @Test func manyRowGroupsKeepEveryRowInOrder() throws {
        var options = ParquetWriterOptions()
        options.rowGroupRows = 1000
        options.pageRows = 300
        let rows: [[ParquetValue]] = (0..<5500).map { (i: Int) -> [ParquetValue] in
            let n = Int64(i)
            let grid: ParquetValue = i % 7 == 0 ? .null : .string("网格\(i % 13)")
            let late: ParquetValue = i % 5 == 0 ? .null : .timestamp(n)
            return [grid, .int64(n * -3), .double(Double(i) * 0.5), .boolean(i % 3 == 0), .int32(Int32(i)), .timestamp(n * 1_000_003), late]
        }
        let path = try write(rows, options: options)
        defer { unlink(path) }
        let read = try ParquetReadback.read(path)
        let expected = ParquetReadback.tags(rows, Self.allTypes)
        #expect(read.pyarrow.footer?.row_groups.map(\.rows) == [1000, 1000, 1000, 1000, 1000, 500])
        #expect(read.pyarrow.rows == expected)
        #expect(read.duckdb.rows == expected)
        // Repeated strings are dictionary encoded in every row group.
        #expect(read.pyarrow.footer?.row_groups.allSatisfy { $0.columns[0].encodings == ["PLAIN", "RLE", "RLE_DICTIONARY"] } == true)
        #expect(read.pyarrow.footer?.row_groups.allSatisfy { $0.columns[1].encodings == ["PLAIN", "RLE"] } == true)
    }

    @Test func aDictionaryPastItsBoundFallsBackToPlainWithinTheRowGroup() throws {
        var options = ParquetWriterOptions()
        options.dictionaryBytes = 200
        options.pageRows = 64
        let schema = try ParquetSchema([ParquetColumn("address", .string)])
        // 40 distinct values fill the dictionary; repeats of early ones after the fallback
        // are written PLAIN, and the next row group starts a fresh dictionary.
        let rows: [[ParquetValue]] = (0..<300).map { i in
            [i % 11 == 0 ? .null : .string(i < 150 ? "玄武区\(i % 40)号" : "秦淮区\(i)号")]
        }
        options.rowGroupRows = 200
        let path = try write(rows, schema: schema, options: options)
        defer { unlink(path) }
        let read = try ParquetReadback.read(path)
        let expected = ParquetReadback.tags(rows, schema)
        #expect(read.pyarrow.rows == expected)
        #expect(read.duckdb.rows == expected)
        #expect(read.pyarrow.footer?.row_groups.map { $0.columns[0].encodings } == [["PLAIN", "RLE", "RLE_DICTIONARY"], ["PLAIN", "RLE", "RLE_DICTIONARY"]])
    }

    @Test func aColumnOfOnlyNullsAndADictionaryColumnStartingWithNullsReadBack() throws {
        var options = ParquetWriterOptions()
        options.pageRows = 10
        let schema = try ParquetSchema([ParquetColumn("never", .string), ParquetColumn("late", .string), ParquetColumn("flag", .boolean)])
        let rows: [[ParquetValue]] = (0..<45).map { i in [.null, i < 25 ? .null : .string("晚\(i % 2)"), .null] }
        let path = try write(rows, schema: schema, options: options)
        defer { unlink(path) }
        let read = try ParquetReadback.read(path)
        let expected = ParquetReadback.tags(rows, schema)
        #expect(read.pyarrow.rows == expected)
        #expect(read.duckdb.rows == expected)
    }

    @Test func zeroRowsIsAValidFileWithItsSchema() throws {
        let path = try write([])
        defer { unlink(path) }
        let read = try ParquetReadback.read(path)
        #expect(read.pyarrow.rows.isEmpty && read.duckdb.rows.isEmpty)
        #expect(read.pyarrow.types == Self.expectedArrowTypes)
        #expect(read.duckdb.types == Self.expectedDuckDBTypes)
        #expect(read.pyarrow.footer?.row_groups.isEmpty == true)
    }

    @Test func footerKeyValuesReadBack() throws {
        var options = ParquetWriterOptions()
        options.metadata = [("onegrid.table", "events"), ("onegrid.filters", "district=320106")]
        let path = try write([Self.edgeRows[0]], options: options)
        defer { unlink(path) }
        let footer = try #require(try ParquetReadback.read(path).pyarrow.footer)
        #expect(footer.key_value == ["onegrid.table": "events", "onegrid.filters": "district=320106"])
    }

    @Test func longStringsAndLargePagesReadBack() throws {
        // Values larger than a page, so pages are cut by bytes, not by count.
        var options = ParquetWriterOptions()
        options.pageBytes = 4096
        let schema = try ParquetSchema([ParquetColumn("text", .string), ParquetColumn("n", .double)])
        let rows: [[ParquetValue]] = (0..<200).map { i in
            [.string(String(repeating: "长文本\(i)", count: i * 7)), .double(Double(i) * 1e-300)]
        }
        let path = try write(rows, schema: schema, options: options)
        defer { unlink(path) }
        let read = try ParquetReadback.read(path)
        let expected = ParquetReadback.tags(rows, schema)
        #expect(read.pyarrow.rows == expected)
        #expect(read.duckdb.rows == expected)
    }
}
