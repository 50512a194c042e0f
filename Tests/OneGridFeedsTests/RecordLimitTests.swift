import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

/// Limits small enough to cross with a few bytes; the defaults hold the same rules at 16 MiB.
private let tiny = RecordLimits(recordBytes: 64, valueBytes: 16, repeatedItems: 5, keptRawBytes: 8)
/// Room for the bytes, not for the count of repeated items.
private let manySmall = RecordLimits(recordBytes: 4096, valueBytes: 16, repeatedItems: 5, keptRawBytes: 8)

/// A record over a limit is `record_too_large` with its first bytes only; the next record
/// reads as if nothing had happened.
@Suite("Per-record limits")
struct RecordLimitTests {
    @Test func csvValueOverTheLimitRejectsItsRecordAndReadingGoesOn() throws {
        let long = String(repeating: "x", count: 200)
        let quoted = "\"" + String(repeating: "y", count: 50) + "\nz\""
        let data = bytes("id,text\n1,short\n2,\(long)\n3,ok\n4,\(quoted)\n5,ok\n")
        for path in try readingPaths(data) {
            let reader = try CSVFeedReader(stream: try path.stream(), path: "long.csv", options: FeedReaderOptions(limits: tiny))
            #expect(try readAll(reader) == [
                .row(line: 2, offset: 8, record: 1, cells: ["1", "short"], raw: bytes("1,short")),
                .unreadable(line: 3, offset: 16, record: 2, field: nil, problem: .recordTooLarge(limit: "a value over 16 bytes (field 2)"),
                            raw: bytes("2,xxxxxx")),
                .row(line: 4, offset: 219, record: 3, cells: ["3", "ok"], raw: bytes("3,ok")),
                .unreadable(line: 5, offset: 224, record: 4, field: nil, problem: .recordTooLarge(limit: "a value over 16 bytes (field 2)"),
                            raw: bytes("4,\"yyyyy")),
                .row(line: 7, offset: 281, record: 5, cells: ["5", "ok"], raw: bytes("5,ok")),
            ], "\(path.label)")
        }
    }

    @Test func csvRecordOverTheByteLimitOrTheCellLimit() throws {
        let cells = Array(repeating: "abcdefghijklmno", count: 5).joined(separator: ",")
        let data = bytes("a,b\n\(cells)\n1,2,3,4,5,6,7\n1,2\n")
        let reader = try CSVFeedReader(stream: MemoryByteStream(data, chunkSizes: [7]), path: "wide.csv", options: FeedReaderOptions(limits: tiny))
        #expect(try readAll(reader) == [
            .unreadable(line: 2, offset: 4, record: 1, field: nil, problem: .recordTooLarge(limit: "a record over 64 bytes"), raw: bytes("abcdefgh")),
            .unreadable(line: 3, offset: 84, record: 2, field: nil, problem: .recordTooLarge(limit: "more than 5 cells"), raw: bytes("1,2,3,4,")),
            .row(line: 4, offset: 98, record: 3, cells: ["1", "2"], raw: bytes("1,2")),
        ])
    }

    @Test func jsonLineOverTheByteLimitKeepsItsFirstBytesAndTheNextLineReads() throws {
        let long = "{\"id\":\"" + String(repeating: "q", count: 300) + "\"}"
        let data = bytes("\(long)\n{\"id\":\"ok\"}\n")
        for path in try readingPaths(data) {
            let reader = try JSONLinesReader(stream: try path.stream(), path: "long.jsonl", limits: tiny)
            #expect(try readAll(reader) == [
                .unreadable(line: 1, offset: 0, record: 1, field: nil, problem: .recordTooLarge(limit: "a line over 64 bytes"), raw: bytes("{\"id\":\"q")),
                .tree(line: 2, record: 2, value: .object([RecordMember(key: "id", value: .string("ok"))])),
            ], "\(path.label)")
        }
    }

    @Test func jsonValueOrRepeatedGroupOverItsLimit() throws {
        let data = bytes("{\"id\":\"12345678901234567\"}\n{\"t\":[1,2,3,4,5,6]}\n{\"id\":\"ok\"}\n")
        let reader = try JSONLinesReader(stream: MemoryByteStream(data), path: "values.jsonl", limits: tiny)
        #expect(try readAll(reader) == [
            .unreadable(line: 1, offset: 0, record: 1, field: "id", problem: .recordTooLarge(limit: "a value over 16 bytes at id"), raw: bytes("{\"id\":\"1")),
            .unreadable(line: 2, offset: 27, record: 2, field: "t", problem: .recordTooLarge(limit: "an array with more than 5 items at t"), raw: bytes("{\"t\":[1,")),
            .tree(line: 3, record: 3, value: .object([RecordMember(key: "id", value: .string("ok"))])),
        ])
    }

    @Test func xmlRecordWithTooManyRepeatedChildrenIsRejectedAndTheNextRecordReads() throws {
        let steps = String(repeating: "<Step at=\"1\"/>", count: 8)
        let document = bytes("<XFExport><Petition id=\"A\"><Handling>\(steps)</Handling></Petition><Petition id=\"B\"><Form>来信</Form></Petition></XFExport>")
        for path in try readingPaths(document) {
            let reader = try XMLRecordReader(stream: try path.stream(), path: "steps.xml",
                                             options: FeedReaderOptions(xmlRecordPath: "/XFExport/Petition", limits: manySmall))
            let items = try readAll(reader)
            #expect(items == [
                .unreadable(line: 1, offset: 0, record: 1, field: "/XFExport/Petition",
                            problem: .recordTooLarge(limit: "more than 5 children in <Handling>"), raw: bytes("<Petitio")),
                .tree(line: 1, record: 2, value: .object([RecordMember(key: "@id", value: .string("B")), RecordMember(key: "Form", value: .string("来信"))])),
            ], "\(path.label)")
        }
    }

    @Test func xmlTextOrAttributeOverTheValueLimit() throws {
        let document = bytes("<R><P><Text>\(String(repeating: "t", count: 40))</Text></P><P id=\"\(String(repeating: "i", count: 17))\"/><P><Form>ok</Form></P></R>")
        let reader = try XMLRecordReader(stream: MemoryByteStream(document), path: "values.xml", options: FeedReaderOptions(limits: tiny))
        #expect(try readAll(reader) == [
            .unreadable(line: 1, offset: 0, record: 1, field: "/R/P", problem: .recordTooLarge(limit: "a value over 16 bytes in <Text>"), raw: bytes("<P><Text")),
            .unreadable(line: 1, offset: 0, record: 2, field: "/R/P", problem: .recordTooLarge(limit: "a value over 16 bytes in attribute 'id' of <P>"), raw: bytes("<P")),
            .tree(line: 1, record: 3, value: .object([RecordMember(key: "Form", value: .string("ok"))])),
        ])
    }

    @Test func defaultLimitsAreFarAboveRealRecords() {
        let limits = RecordLimits()
        #expect(limits.recordBytes == 16 * 1024 * 1024)
        #expect(limits.valueBytes == 1024 * 1024)
        #expect(limits.repeatedItems == 10_000)
        #expect(limits.keptRawBytes == 4096)
    }
}
