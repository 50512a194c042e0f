import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import Testing

@Suite("Picking items on damaged or hostile input")
struct PickHostileTests {
    let folder: String = {
        let f = NSTemporaryDirectory() + "onegrid-pick-hostile-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: f, withIntermediateDirectories: true)
        return f
    }()

    func map(_ yaml: String, _ lines: [String]) throws -> [MappedRecord] {
        let id = UUID().uuidString
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: folder + "/\(id).yaml"))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/\(id).jsonl"))
        return try mapAll(folder + "/\(id).yaml", folder + "/\(id).jsonl")
    }

    @Test("positions past the items, or beyond any Int, give an empty value, never a crash")
    func outOfRange() throws {
        let records = try map("""
            feed: f
            format: {type: jsonl}
            key: id
            fields:
              title: "s[5].a"
              content: "s[-9223372036854775808].a"
              result: {item: s, pick: -3, path: a}
            """, [#"{"id":"K1","s":[{"a":"x"},{"a":"y"}]}"#, #"{"id":"K2","s":"not an array"}"#, #"{"id":"K3"}"#])
        #expect(records.map { $0.draft?.title } == [nil, nil, nil])
        #expect(records.map { $0.draft?.content } == [nil, nil, nil])
        #expect(records.map { $0.draft?.result } == [nil, nil, nil])
        #expect(records.compactMap(\.draft).count == 3)
    }

    @Test("a position too large for a number is refused by mapping check")
    func hugePosition() throws {
        #expect(throws: MappingError.self) {
            _ = try map("feed: f\nformat: {type: jsonl}\nkey: id\nfields:\n  title: \"s[99999999999999999999].a\"\n", [])
        }
    }

    @Test("an item whose condition value is past the regex bound does not pass the condition")
    func longConditionValue() throws {
        let long = String(repeating: "办", count: RegexSafety.maximumInputLength + 1)
        let records = try map("""
            feed: f
            format: {type: jsonl}
            key: id
            fields:
              result: {item: s, where: {path: a, matches: '办'}, path: b}
            """, [#"{"id":"K1","s":[{"a":"\#(long)","b":"long"},{"a":"办结","b":"short"}]}"#])
        #expect(records.map { $0.draft?.result } == ["short"])
    }

    @Test("a where over a repeated group of many items picks the last passing one")
    func manyItems() throws {
        let items = (1...5_000).map { #"{"a":"\#($0 % 2 == 0 ? "结案" : "处置")","n":"\#($0)"}"# }.joined(separator: ",")
        let records = try map("""
            feed: f
            format: {type: jsonl}
            key: id
            fields:
              headcount: {item: s, where: {path: a, matches: '^结案$'}, pick: last, path: n}
            """, [#"{"id":"K1","s":[\#(items)]}"#])
        #expect(records.map { $0.draft?.headcount } == [5_000])
    }
}
