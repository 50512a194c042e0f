#if canImport(Glibc)
import Glibc
#endif
import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

/// Reads a CSV fixture through every reading path and checks header, encoding and items.
func expectCSV(_ fixture: String, options: FeedReaderOptions = FeedReaderOptions(),
               header: [String], encoding: TextEncodingName = .utf8, bom: Bool = false,
               items expected: [Seen], sourceLocation: SourceLocation = #_sourceLocation) throws {
    for path in try readingPaths(try fixtureBytes("csv/" + fixture)) {
        let reader = try CSVFeedReader(stream: try path.stream(), path: fixture, options: options)
        #expect(reader.header == header, "\(path.label)", sourceLocation: sourceLocation)
        #expect(reader.encoding == encoding, "\(path.label)", sourceLocation: sourceLocation)
        #expect(reader.hasByteOrderMark == bom, "\(path.label)", sourceLocation: sourceLocation)
        let items = try readAll(reader)
        #expect(items == expected, "\(path.label)", sourceLocation: sourceLocation)
    }
}

@Suite("CSV feed reader")
struct CSVReaderTests {
    @Test func crlfLineEndings() throws {
        try expectCSV("crlf.csv", header: ["id", "name"], items: [
            .row(line: 2, offset: 9, record: 1, cells: ["1", "alpha"], raw: bytes("1,alpha")),
            .row(line: 3, offset: 18, record: 2, cells: ["2", "beta"], raw: bytes("2,beta")),
        ])
    }

    @Test func mixedLineEndingsAndNoFinalNewline() throws {
        try expectCSV("mixed-line-endings.csv", header: ["id", "name"], items: [
            .row(line: 2, offset: 8, record: 1, cells: ["1", "a"], raw: bytes("1,a")),
            .row(line: 3, offset: 13, record: 2, cells: ["2", "b"], raw: bytes("2,b")),
            .row(line: 4, offset: 17, record: 3, cells: ["3", "c"], raw: bytes("3,c")),
        ])
    }

    @Test func quotedFieldsKeepLineBreaksAndDoubledQuotes() throws {
        try expectCSV("quoted-newline.csv", header: ["id", "text"], items: [
            .row(line: 2, offset: 9, record: 1, cells: ["1", "a\r\nb"], raw: bytes("1,\"a\r\nb\"")),
            .row(line: 4, offset: 19, record: 2, cells: ["2", "say \"hi\""], raw: bytes("2,\"say \"\"hi\"\"\"")),
            // Three cells under a two-column header: ragged, its raw bytes whole across lines.
            .unreadable(line: 5, offset: 34, record: 3, field: nil, problem: .raggedRow(expected: 2, found: 3),
                        raw: bytes("3,\"multi\nline\nvalue\",x")),
        ])
    }

    @Test func blankLinesAreSkippedNotRecords() throws {
        try expectCSV("blank-lines.csv", header: ["id", "name"], items: [
            .skipped(line: 1, offset: 0),
            .skipped(line: 3, offset: 9),
            .row(line: 4, offset: 10, record: 1, cells: ["1", "a"], raw: bytes("1,a")),
            .skipped(line: 5, offset: 15),
            .row(line: 6, offset: 17, record: 2, cells: ["2", "b"], raw: bytes("2,b")),
            .skipped(line: 7, offset: 21),
        ])
    }

    @Test func strayQuotesAreKeptLiterally() throws {
        try expectCSV("stray-quote.csv", header: ["id", "text"], items: [
            .row(line: 2, offset: 8, record: 1, cells: ["1", "5\" screen"], raw: bytes("1,5\" screen")),
            .row(line: 3, offset: 20, record: 2, cells: ["2", "abc"], raw: bytes("2,\"ab\"c")),
        ])
    }

    @Test func unterminatedQuoteYieldsAnUnreadableRecordWithEverythingAfterIt() throws {
        try expectCSV("unterminated-quote.csv", header: ["id", "text"], items: [
            .row(line: 2, offset: 8, record: 1, cells: ["1", "ok"], raw: bytes("1,ok")),
            .unreadable(line: 3, offset: 13, record: 2, field: nil, problem: .unterminatedQuote,
                        raw: bytes("2,\"never closed\n3,x\n")),
        ])
    }

    @Test func tabDelimiter() throws {
        try expectCSV("tab-delimited.tsv", options: FeedReaderOptions(delimiter: UInt8(ascii: "\t")),
                      header: ["id", "name"], items: [
            .row(line: 2, offset: 8, record: 1, cells: ["1", "a,b"], raw: bytes("1\ta,b")),
        ])
    }

    @Test func utf8WithByteOrderMark() throws {
        try expectCSV("utf8-bom.csv", header: ["工单编号", "标题"], bom: true, items: [
            .row(line: 2, offset: 23, record: 1, cells: ["NJ1", "你好"], raw: bytes("NJ1,你好")),
        ])
    }

    @Test func utf8WithoutByteOrderMark() throws {
        try expectCSV("utf8-no-bom.csv", header: ["工单编号", "标题"], items: [
            .row(line: 2, offset: 20, record: 1, cells: ["NJ1", "你好"], raw: bytes("NJ1,你好")),
        ])
    }

    @Test func gb18030IsDetectedAndDecoded() throws {
        let gb = Transcoder(from: .utf8, to: .gb18030)
        try expectCSV("gb18030.csv", header: ["工单编号", "诉求内容"], encoding: .gb18030, items: [
            .row(line: 2, offset: 18, record: 1, cells: ["NJ1", "反映油烟\n扰民"], raw: try gb.convert(bytes("NJ1,\"反映油烟\n扰民\""))),
            .row(line: 4, offset: 38, record: 2, cells: ["NJ2", "镕"], raw: try gb.convert(bytes("NJ2,镕"))),
        ])
    }

    @Test func badGB18030ByteMakesOneRecordUnreadableAtItsExactOffset() throws {
        let gb = Transcoder(from: .utf8, to: .gb18030)
        try expectCSV("bad-gb18030-byte.csv", header: ["编号", "内容"], encoding: .gb18030, items: [
            .row(line: 2, offset: 10, record: 1, cells: ["A1", "好"], raw: try gb.convert(bytes("A1,好"))),
            .unreadable(line: 3, offset: 16, record: 2, field: "内容",
                        problem: .undecodableBytes(encoding: .gb18030, byteOffset: 21), raw: [0x41, 0x32, 0x2C, 0x22, 0x78, 0xFF, 0x79, 0x22]),
            .row(line: 4, offset: 25, record: 3, cells: ["A3", "ok"], raw: bytes("A3,ok")),
        ])
    }

    @Test func badUTF8ByteMakesOneRecordUnreadableAtItsExactOffset() throws {
        try expectCSV("bad-utf8-byte.csv", header: ["id", "name"], bom: true, items: [
            .row(line: 2, offset: 11, record: 1, cells: ["1", "你好"], raw: bytes("1,你好")),
            .unreadable(line: 3, offset: 20, record: 2, field: "name",
                        problem: .undecodableBytes(encoding: .utf8, byteOffset: 23), raw: [0x32, 0x2C, 0x61, 0xC3, 0x28, 0x62]),
            .row(line: 4, offset: 27, record: 3, cells: ["3", "ok"], raw: bytes("3,ok")),
        ])
    }

    @Test func forcedEncodingOverridesDetection() throws {
        let reader = try CSVFeedReader(path: fixturePath("csv/utf8-no-bom.csv"), options: FeedReaderOptions(encoding: .gb18030))
        #expect(reader.encoding == .gb18030)
        #expect(reader.header != ["工单编号", "标题"])
    }

    @Test func headerCellsAreTrimmedAndFolded() throws {
        try expectCSV("header-fullwidth.csv", header: ["工单编号", "经度(GCJ-02)", "标题"], items: [
            .row(line: 2, offset: 44, record: 1, cells: ["1", "2", "3"], raw: bytes("1,2,3")),
        ])
    }

    @Test func gzipFileIsReadFromDisk() throws {
        let path = temporaryPath(".csv.gz")
        try writeFile(path, try gzipped(try fixtureBytes("csv/crlf.csv")))
        let reader = try FeedReaders.open(path: path, format: .csv)
        #expect(reader.isGzip)
        #expect(try readAll(reader) == [
            .row(line: 2, offset: 9, record: 1, cells: ["1", "alpha"], raw: bytes("1,alpha")),
            .row(line: 3, offset: 18, record: 2, cells: ["2", "beta"], raw: bytes("2,beta")),
        ])
    }

    @Test(arguments: [
        ("csv/not-csv.png", "not a CSV file: it is a PNG image"),
        ("csv/binary-nul.dat", "not a CSV file: it holds binary data (a NUL byte at offset 10)"),
        ("csv/empty.csv", "not a CSV file: the file is empty"),
    ])
    func notCSVFailsTheFile(fixture: String, message: String) throws {
        let path = fixturePath(fixture)
        // The file is named once, by the position: `path: not a CSV file: …`.
        #expect(throws: FeedError(kind: .notThisFormat, position: SourcePosition(file: path), message: message)) {
            _ = try CSVFeedReader(path: path)
        }
    }

    @Test func missingFileIsAnIOError() throws {
        #expect(throws: FeedError.self) { _ = try CSVFeedReader(path: "/nonexistent/x.csv") }
    }

    @Test func byteRecordGivesFieldRangesIntoOneBuffer() throws {
        let reader = CSVByteReader(stream: MemoryByteStream(bytes("a,\"b,c\"\n")))
        var record = CSVByteRecord()
        #expect(try reader.readRecord(into: &record))
        #expect(record.count == 2)
        #expect(Array(record[1]) == bytes("b,c"))
        #expect(record.range(ofField: 1) == 1..<4)
        #expect(try reader.readRecord(into: &record) == false)
    }
}

/// Throughput figures for the report; runs only with ONEGRID_BENCH=1 (use a release build).
@Suite("CSV throughput")
struct CSVBenchmark {
    @Test(.enabled(if: getenv("ONEGRID_BENCH") != nil))
    func millionRows() throws {
        let row = bytes("NJ12345-20200623-000123,2020-06-23 14:05:31,电话,投诉,一般,张某某,13800000000,,城乡建设>市容环卫>餐饮油烟,油烟扰民,\"楼下饭店油烟很大，\n请处理\",六合区,雄州街道,桥西社区,华城名府3栋,118.83,32.35,区城管局,已办结,已整改,满意\r\n")
        var data = bytes("工单编号,受理时间,诉求渠道,诉求类型,紧急程度,来电人,来电号码,证件号码,问题分类,标题,诉求内容,所属区,所属街道,所属社区,事发地址,经度,纬度,承办单位,工单状态,办理结果,满意度\r\n")
        data.reserveCapacity(row.count * 1_000_000 + 200)
        for _ in 0..<1_000_000 { data += row }
        let gb = try Transcoder(from: .utf8, to: .gb18030).convert(data)
        for (label, input) in [("UTF-8", data), ("GB18030", gb)] {
            let clock = ContinuousClock()
            var rows = 0
            var byteRows = 0
            let splitOnly = try clock.measure {
                let reader = CSVByteReader(stream: MemoryByteStream(input, chunkSizes: [65536]))
                var record = CSVByteRecord()
                while try reader.readRecord(into: &record) { byteRows += 1 }
            }
            let decoded = try clock.measure {
                let reader = try CSVFeedReader(stream: MemoryByteStream(input, chunkSizes: [65536]), path: "bench.csv")
                while let item = try reader.next() { if case .record = item { rows += 1 } }
            }
            #expect(rows == 1_000_000)
            print("CSV benchmark \(label), \(input.count / 1_000_000) MB: byte records \(byteRows) in \(splitOnly); decoded SourceRecords \(rows) in \(decoded)")
        }
    }
}
