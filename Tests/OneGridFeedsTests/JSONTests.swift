import Foundation
import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

@Suite("JSON parser conformance")
struct JSONParserTests {
    let parser = JSONParser()

    @Test(arguments: [
        (#"{"a":1,"b":[true,false,null],"c":"x"}"#, RecordValue.object([
            RecordMember(key: "a", value: .number("1")),
            RecordMember(key: "b", value: .array([.bool(true), .bool(false), .null])),
            RecordMember(key: "c", value: .string("x")),
        ])),
        (#"  {"z":1,"a":2}  "#, .object([
            RecordMember(key: "z", value: .number("1")), RecordMember(key: "a", value: .number("2")),
        ])),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{08}\u{0C}\n\r\t")),
        (#""\u4e2d\u6587 \u00e9""#, .string("中文 é")),
        (#""\ud83d\ude00""#, .string("😀")),
        (#""雄州街道 😀""#, .string("雄州街道 😀")),
        ("-0", .number("-0")),
        ("118.6321", .number("118.6321")),
        ("1.5E+10", .number("1.5E+10")),
        ("12345678901234567890123", .number("12345678901234567890123")),
        ("[]", .array([])),
        ("{}", .object([])),
        ("[[[[1]]]]", .array([.array([.array([.array([.number("1")])])])])),
    ])
    func parsesValidJSON(text: String, expected: RecordValue) throws {
        #expect(try parser.parse(text) == expected)
    }

    @Test(arguments: [
        ("", 1, "unexpected end of input, a value was expected"),
        ("{\"a\":1,}", 8, "unexpected '}', a member name was expected"),
        ("[1,]", 4, "unexpected ']', a value was expected"),
        ("{\"a\" 1}", 6, "unexpected '1', ':' was expected"),
        ("01", 2, "leading zeros are not allowed in numbers"),
        ("1.", 3, "a digit was expected after the decimal point"),
        ("1e", 3, "a digit was expected in the exponent"),
        ("-", 2, "a digit was expected in the number"),
        ("tru", 1, "invalid literal, expected 'true'"),
        ("\"abc", 1, "unterminated string"),
        ("\"a\tb\"", 3, "control character byte 0x9 must be escaped in a string"),
        ("\"\\x\"", 2, "invalid escape \\'x'"),
        ("\"\\u12\"", 2, "\\u must be followed by four hex digits"),
        ("\"\\ud83d\"", 2, "unpaired surrogate \\uD83D"),
        ("\"\\ude00\"", 2, "unpaired surrogate \\uDE00"),
        ("{} x", 4, "unexpected characters after the value"),
        ("'a'", 1, "unexpected ''', a value was expected"),
        ("NaN", 1, "unexpected 'N', a value was expected"),
    ])
    func rejectsInvalidJSON(text: String, column: Int, message: String) throws {
        #expect(throws: JSONParseError(message: message, offset: column - 1)) { try parser.parse(text) }
    }

    @Test func refusesADuplicateKeyWithItsPath() throws {
        let error = #expect(throws: JSONParseError.self) { try parser.parse(#"{"a":{"z":1,"z":3}}"#) }
        #expect(error == JSONParseError(message: "duplicate key", offset: 12, content: .duplicateKey, path: ["a", "z"]))
        #expect(error?.pathText == "a.z")
    }

    @Test func refusesStringsAndGroupsOverItsLimits() throws {
        let small = JSONParser(maxStringBytes: 4, maxItems: 2)
        #expect(throws: JSONParseError(message: "string too long", offset: 5, content: .tooLarge("a value over 4 bytes"), path: ["a"])) {
            try small.parse(#"{"a":"12345"}"#)
        }
        #expect(throws: JSONParseError(message: "too many items", offset: 10, content: .tooLarge("an array with more than 2 items"), path: ["a"])) {
            try small.parse(#"{"a":[1,2,3]}"#)
        }
        #expect(throws: JSONParseError(message: "too many members", offset: 13, content: .tooLarge("an object with more than 2 members"))) {
            try small.parse(#"{"a":1,"b":2,"c":3}"#)
        }
        #expect(try small.parse(#"{"a":"1234","b":[1,2]}"#) == .object([
            RecordMember(key: "a", value: .string("1234")), RecordMember(key: "b", value: .array([.number("1"), .number("2")])),
        ]))
    }

    @Test func rejectsInvalidUTF8InStrings() throws {
        #expect(throws: JSONParseError(message: "invalid UTF-8 in a string", offset: 2)) {
            try parser.parse([0x22, 0x61, 0xFF, 0x22])
        }
    }

    @Test func refusesNestingDeeperThanTheLimit() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError(message: "nesting deeper than 64 levels", offset: 64)) { try parser.parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parser.parse(ok) }
    }

    /// Not a timed assertion: prints the figures for the report.
    @Test func speedComparedWithJSONSerialization() throws {
        let line = #"{"ticket_id":"DLQ-320111-20200623-000123","grid_code":"320111104001003","reporter":{"worker_id":"W320111104001003A","name":"杜某某","role":"专职网格员"},"reported_at":"2020-06-23T08:15:00+08:00","category":"安全隐患>消防通道堵塞","description":"楼道堆放杂物\n堵塞通道","location":{"lng":118.6321,"lat":32.1420,"coord_sys":"gcj02"},"self_resolved":false,"status":"closed","timeline":[{"at":"2020-06-23T08:15:00+08:00","action":"上报"},{"at":"2020-06-23T09:02:00+08:00","action":"派单","dept":"星甸街道城管科"}],"photos":["a.jpg"]}"#
        let lineBytes = Array(line.utf8)
        let count = 50_000
        let clock = ContinuousClock()
        var members = 0
        let ours = try clock.measure {
            for _ in 0..<count {
                if case .object(let m) = try parser.parse(lineBytes) { members += m.count }
            }
        }
        let data = Data(lineBytes)
        var foundationMembers = 0
        let foundation = try clock.measure {
            for _ in 0..<count {
                if let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] { foundationMembers += object.count }
            }
        }
        #expect(members == foundationMembers)
        print("JSON benchmark, \(count) lines of \(lineBytes.count) bytes: JSONParser \(ours), JSONSerialization \(foundation)")
    }
}

@Suite("JSON Lines reader")
struct JSONLinesReaderTests {
    @Test func invalidLineIsUnreadableAndTheFileGoesOn() throws {
        for path in try readingPaths(try fixtureBytes("jsonl/invalid-line.jsonl")) {
            let reader = try JSONLinesReader(stream: try path.stream(), path: "invalid-line.jsonl")
            let items = try readAll(reader)
            #expect(items == [
                .tree(line: 1, record: 1, value: .object([
                    RecordMember(key: "ticket_id", value: .string("DLQ-1")), RecordMember(key: "n", value: .number("1")),
                ])),
                .skipped(line: 2, offset: 28),
                .unreadable(line: 3, offset: 29, record: 2, field: nil,
                            problem: .invalidJSON(message: "unexpected 'o', a member name was expected", column: 24),
                            raw: bytes(#"{"ticket_id": "DLQ-2", oops}"#)),
                .tree(line: 4, record: 3, value: .object([
                    RecordMember(key: "ticket_id", value: .string("DLQ-3")),
                    RecordMember(key: "tags", value: .array([.string("a")])),
                ])),
            ], "\(path.label)")
        }
    }

    @Test func recordPositionsCarryOffsets() throws {
        let reader = try JSONLinesReader(path: fixturePath("jsonl/invalid-line.jsonl"))
        guard case .record(let first) = try reader.next() else { Issue.record("no record"); return }
        #expect(first.position == SourcePosition(file: fixturePath("jsonl/invalid-line.jsonl"), byteOffset: 0, line: 1, record: 1))
        #expect(first.raw == bytes(#"{"ticket_id":"DLQ-1","n":1}"#))
    }

    @Test func invalidUTF8LineIsUndecodableAtItsOffsetAndBOMIsSkipped() throws {
        let reader = try FeedReaders.open(path: fixturePath("jsonl/bad-utf8.jsonl"), format: .jsonl)
        let items = try readAll(reader)
        #expect(items == [
            .tree(line: 1, record: 1, value: .object([RecordMember(key: "a", value: .string("ok"))])),
            .unreadable(line: 2, offset: 14, record: 2, field: nil,
                        problem: .undecodableBytes(encoding: .utf8, byteOffset: 21), raw: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0x78, 0xFF, 0x79, 0x22, 0x7D]),
        ])
    }
}

@Suite("JSON duplicate keys in large objects")
struct JSONLargeObjectTests {
    @Test func duplicateFoundPastTheSmallObjectScan() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: JSONParseError(message: "duplicate key", offset: 341, content: .duplicateKey, path: ["k3"])) {
            try JSONParser().parse("{\(members),\"k3\":0}")
        }
        if case .object(let all) = try JSONParser().parse("{\(members)}") { #expect(all.count == 40) } else { Issue.record("not an object") }
    }
}
