import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

/// Rows whose shape differs from the header's are unreadable records built by the reader,
/// whatever their cells hold (issue #12: a stray comma shifted every later column).
@Suite("CSV row shape")
struct CSVRowShapeTests {
    @Test func rowWithMoreCellsThanTheHeaderIsRaggedWhateverTheSurplusHolds() throws {
        try expectCSV("shifted-address.csv", header: ["工单编号", "受理时间", "事发地址", "处理状态"], items: [
            .row(line: 2, offset: 52, record: 1, cells: ["K1", "2020-06-26 08:00", "学海路1号", "已办结"],
                 raw: bytes("K1,2020-06-26 08:00,学海路1号,已办结")),
            .unreadable(line: 3, offset: 96, record: 2, field: nil, problem: .raggedRow(expected: 4, found: 5),
                        raw: bytes("K3,2020-06-26 09:00,学海路98号,对面,")),
            .row(line: 4, offset: 139, record: 3, cells: ["K4", "2020-06-26 10:00", "学海路3号", "办理中"],
                 raw: bytes("K4,2020-06-26 10:00,学海路3号,办理中")),
        ])
    }

    @Test func raggedRowCarriesItsCellsSoAFooterRuleCanStillSkipIt() throws {
        let reader = try CSVFeedReader(path: fixturePath("csv/shifted-address.csv"))
        _ = try reader.next()
        guard case .unreadable(let bad) = try reader.next() else { Issue.record("row 2 should be unreadable"); return }
        #expect(bad.cells == ["K3", "2020-06-26 09:00", "学海路98号", "对面", ""])
        #expect(bad.reason.code == "ragged_row")
        #expect(bad.reason.description == "row has 5 cells, the header has 4; a delimiter inside an unquoted value shifts every column after it")
    }

    @Test func rowsWithFewerCellsAreShortRowsWhenRejected() throws {
        try expectCSV("short-rows.csv", options: FeedReaderOptions(shortRows: .reject), header: ["id", "name", "phone"], items: [
            .row(line: 2, offset: 14, record: 1, cells: ["1", "a", "138"], raw: bytes("1,a,138")),
            .unreadable(line: 3, offset: 22, record: 2, field: nil, problem: .shortRow(expected: 3, found: 2, cutOff: false), raw: bytes("2,b")),
            .row(line: 4, offset: 26, record: 3, cells: ["3", "c", "139"], raw: bytes("3,c,139")),
            .unreadable(line: 5, offset: 34, record: 4, field: nil, problem: .shortRow(expected: 3, found: 1, cutOff: false), raw: bytes("4")),
        ])
        #expect(ReadProblem.shortRow(expected: 3, found: 2, cutOff: false).code == "short_row")
    }

    @Test func paddingFillsShortRowsWithEmptyCellsAndCountsThem() throws {
        let options = FeedReaderOptions(shortRows: .pad)
        try expectCSV("short-rows.csv", options: options, header: ["id", "name", "phone"], items: [
            .row(line: 2, offset: 14, record: 1, cells: ["1", "a", "138"], raw: bytes("1,a,138")),
            .row(line: 3, offset: 22, record: 2, cells: ["2", "b", ""], raw: bytes("2,b")),
            .row(line: 4, offset: 26, record: 3, cells: ["3", "c", "139"], raw: bytes("3,c,139")),
            .row(line: 5, offset: 34, record: 4, cells: ["4", "", ""], raw: bytes("4")),
        ])
        let reader = try CSVFeedReader(path: fixturePath("csv/short-rows.csv"), options: options)
        _ = try readAll(reader)
        #expect(reader.paddedRows == 2)
    }

    @Test(arguments: [ShortRowPolicy.reject, .pad])
    func shortLastRowCutOffByTheEndOfTheFileIsRejectedWhateverThePolicy(policy: ShortRowPolicy) throws {
        try expectCSV("cut-off-row.csv", options: FeedReaderOptions(shortRows: policy), header: ["id", "name", "phone"], items: [
            .row(line: 2, offset: 14, record: 1, cells: ["1", "a", "138"], raw: bytes("1,a,138")),
            .unreadable(line: 3, offset: 22, record: 2, field: nil, problem: .shortRow(expected: 3, found: 2, cutOff: true), raw: bytes("2,b")),
        ])
    }

    @Test func shortRowsAreRejectedByDefault() throws {
        #expect(FeedReaderOptions().shortRows == .reject)
        try expectCSV("short-rows.csv", header: ["id", "name", "phone"], items: [
            .row(line: 2, offset: 14, record: 1, cells: ["1", "a", "138"], raw: bytes("1,a,138")),
            .unreadable(line: 3, offset: 22, record: 2, field: nil, problem: .shortRow(expected: 3, found: 2, cutOff: false), raw: bytes("2,b")),
            .row(line: 4, offset: 26, record: 3, cells: ["3", "c", "139"], raw: bytes("3,c,139")),
            .unreadable(line: 5, offset: 34, record: 4, field: nil, problem: .shortRow(expected: 3, found: 1, cutOff: false), raw: bytes("4")),
        ])
    }

    @Test func raggedRowsFixtureShortRaggedAndEmptyRows() throws {
        try expectCSV("ragged-rows.csv", options: FeedReaderOptions(shortRows: .reject), header: ["a", "b", "c"], items: [
            .unreadable(line: 2, offset: 6, record: 1, field: nil, problem: .shortRow(expected: 3, found: 1, cutOff: false), raw: bytes("1")),
            .unreadable(line: 3, offset: 8, record: 2, field: nil, problem: .raggedRow(expected: 3, found: 4), raw: bytes("1,2,3,4")),
            .row(line: 4, offset: 16, record: 3, cells: ["", "", ""], raw: bytes(",,")),
        ])
    }
}

/// Valid JSON that a feed cannot trust is an unreadable record, and the file goes on.
@Suite("JSON Lines content")
struct JSONLinesContentTests {
    private func expectJSONL(_ fixture: String, limits: RecordLimits = RecordLimits(), _ expected: [Seen],
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        for path in try readingPaths(try fixtureBytes("jsonl/" + fixture)) {
            let reader = try JSONLinesReader(stream: try path.stream(), path: fixture, limits: limits)
            let items = try readAll(reader)
            #expect(items == expected, "\(path.label)", sourceLocation: sourceLocation)
        }
    }

    @Test func lineThatIsNotAnObjectIsUnreadableNotItsFirstElement() throws {
        try expectJSONL("not-an-object.jsonl", [
            .unreadable(line: 1, offset: 0, record: 1, field: nil, problem: .notAnObject(kind: "an array"), raw: bytes(#"[{"id":"A1"},{"id":"A2"}]"#)),
            .unreadable(line: 2, offset: 26, record: 2, field: nil, problem: .notAnObject(kind: "a string"), raw: bytes(#""T1""#)),
            .unreadable(line: 3, offset: 31, record: 3, field: nil, problem: .notAnObject(kind: "a number"), raw: bytes("42")),
            .unreadable(line: 4, offset: 34, record: 4, field: nil, problem: .notAnObject(kind: "null"), raw: bytes("null")),
            .tree(line: 5, record: 5, value: .object([RecordMember(key: "id", value: .string("A3"))])),
        ])
        #expect(ReadProblem.notAnObject(kind: "an array").code == "not_an_object")
    }

    @Test func nulInAStringEscapedOrRawIsUnreadableNeverCut() throws {
        try expectJSONL("nul-in-value.jsonl", [
            .unreadable(line: 1, offset: 0, record: 1, field: "id", problem: .nulInValue(path: "id"), raw: bytes(#"{"id":"T\u0000A"}"#)),
            .unreadable(line: 2, offset: 18, record: 2, field: "id", problem: .nulInValue(path: "id"), raw: bytes("{\"id\":\"T\u{0}B\"}")),
            .unreadable(line: 3, offset: 31, record: 3, field: "reporter.name", problem: .nulInValue(path: "reporter.name"),
                        raw: bytes(#"{"id":"T1","reporter":{"name":"a\u0000"}}"#)),
            .tree(line: 4, record: 4, value: .object([RecordMember(key: "id", value: .string("T2"))])),
        ])
        #expect(ReadProblem.nulInValue(path: "id").code == "nul_in_value")
    }

    @Test func duplicateKeyAtAnyDepthIsUnreadableNamingTheKey() throws {
        try expectJSONL("duplicate-key.jsonl", [
            .unreadable(line: 1, offset: 0, record: 1, field: "id", problem: .duplicateKey(path: "id"), raw: bytes(#"{"id":"D1","id":"D2"}"#)),
            .unreadable(line: 2, offset: 22, record: 2, field: "timeline[1].at", problem: .duplicateKey(path: "timeline[1].at"),
                        raw: bytes(#"{"id":"D3","timeline":[{"at":"1"},{"at":"2","at":"3"}]}"#)),
            // The same name in two different objects is no duplicate.
            .tree(line: 3, record: 3, value: .object([
                RecordMember(key: "id", value: .string("D4")),
                RecordMember(key: "reporter", value: .object([RecordMember(key: "name", value: .string("x"))])),
                RecordMember(key: "name", value: .string("y")),
            ])),
        ])
        #expect(ReadProblem.duplicateKey(path: "id").description == "the key id appears twice in one object")
    }
}
