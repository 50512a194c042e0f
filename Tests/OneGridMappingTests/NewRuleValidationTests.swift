import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import Testing

let newRuleFaults: [FaultCase] = [
    .init(name: "deadline_days of 0", yaml: "feed: f\nkey: a\ndeadline_days: 0\n", line: 3, keyPath: "deadline_days",
          message: "deadline_days is a whole number of days from 1 to 3650, found 0"),
    .init(name: "deadline_days not a number", yaml: "feed: f\nkey: a\ndeadline_days: 一周\n", line: 3, keyPath: "deadline_days", message: "expected a whole number"),
    .init(name: "position 0", yaml: "feed: f\nformat: {type: jsonl}\nkey: a\nfields:\n  title: 'steps[0].t'\n", line: 5, keyPath: "fields.title",
          message: "'steps[0]': a position is [n] from 1 (the first), [-n] from the end, [first] or [last]"),
    .init(name: "pick 0", yaml: "feed: f\nformat: {type: jsonl}\nkey: a\nfields:\n  title: {item: steps, pick: 0, path: t}\n", line: 5,
          keyPath: "fields.title.pick", message: "pick is first, last, or a position: 1 the first, 2 the second, -1 the last"),
    .init(name: "where without item", yaml: "feed: f\nformat: {type: jsonl}\nkey: a\nfields:\n  title: {where: {path: a, matches: x}, path: t}\n", line: 5,
          keyPath: "fields.title.where", message: "'where' chooses among the items of 'item'"),
    .init(name: "item in a csv feed", yaml: "feed: f\nkey: a\nfields:\n  title: {item: b, column: c}\n", line: 4,
          keyPath: "fields.title.item", message: "'item' picks from a repeated element or array: xml and jsonl feeds"),
    .init(name: "a crosswalk with an empty key", yaml: "feed: f\nkey: a\nfields:\n  category: {column: c, crosswalk: codes/empty-key.yaml}\n", line: 4,
          keyPath: "fields.category.crosswalk", message: "an empty key matches nothing (an empty value never reaches a crosswalk); for values the table lacks write `default: MS.99` beside `entries`"),
]

@Suite("The new rule keys are checked by mapping check, with file, line and key path")
struct NewRuleValidationTests {
    let folder: String = {
        let f = NSTemporaryDirectory() + "onegrid-new-rule-faults-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: f + "/codes", withIntermediateDirectories: true)
        try? Data("match: exact\nentries:\n  \"\": MS.99\n  甲: CG.01\n".utf8).write(to: URL(fileURLWithPath: f + "/codes/empty-key.yaml"))
        return f
    }()

    @Test("fault", arguments: newRuleFaults)
    func fault(_ c: FaultCase) throws {
        let path = folder + "/m.yaml"
        try Data(c.yaml.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Mapping.load(path: path)
            Issue.record("\(c.name): the mapping compiled")
        } catch {
            #expect(error.line == c.line)
            #expect(error.keyPath == c.keyPath)
            #expect(error.message.contains(c.message), "\(error.message)")
        }
    }

    func compile(_ yaml: String) throws -> Mapping {
        let path = folder + "/ok-\(UUID().uuidString).yaml"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return try Mapping.load(path: path)
    }

    @Test("a first_of whose every branch reads one column still requires it in the header")
    func firstOfHeaderCheck() throws {
        let m = try compile("feed: f\nkey: 编号\nfields:\n  reported_at: {first_of: [{column: 来电时间, formats: ['yyyy.M.d']}, 来电时间], required: true}\n")
        #expect(throws: FeedError.self) { try RecordMapper(mapping: m, header: ["编号", "受理时间"], file: "x.csv") }
        let either = try compile("feed: f\nkey: 编号\nfields:\n  reported_at: {first_of: [来电时间, 受理时间], required: true}\n")
        #expect(try RecordMapper(mapping: either, header: ["编号", "受理时间"], file: "x.csv").headerReport.missing == ["来电时间"])
    }

    @Test("a value longer than the regex bound is value_too_long before any pattern runs")
    func valueTooLong() throws {
        let m = try compile("feed: f\nkey: 编号\nfields:\n  title: {column: 标题, regex: '^(.*)$'}\n  content: {column: 标题, regex: '^(.*)$', on_error: drop_value}\n")
        let mapper = try RecordMapper(mapping: m, header: ["编号", "标题"], file: "x.csv")
        let long = String(repeating: "长", count: RegexSafety.maximumInputLength + 1)
        let record = SourceRecord(position: SourcePosition(file: "x.csv", line: 2, record: 1), content: .row(["K1", long]), raw: [])
        guard case .rejected(let r) = mapper.map(record) else { Issue.record("not rejected"); return }
        #expect(r.reason == "value_too_long")
        #expect(r.field == "标题")
        #expect(r.message == "title: a value of 4097 characters is longer than the 4096 a mapping regex reads")
        let fits = SourceRecord(position: SourcePosition(file: "x.csv", line: 3, record: 2), content: .row(["K2", String(long.dropFirst())]), raw: [])
        guard case .event(let d, _) = mapper.map(fits) else { Issue.record("not an event"); return }
        #expect(d.title?.count == RegexSafety.maximumInputLength)
    }

    @Test("a concat part that fails fails the whole, unless it drops its value")
    func concatFailure() throws {
        let m = try compile("""
            feed: f
            key: {concat: [编号, {column: 电话, parse: phone}], separator: "|"}
            fields:
              title: {concat: [编号, {column: 电话, parse: phone, on_error: drop_value}], separator: "|"}
            """)
        let mapper = try RecordMapper(mapping: m, header: ["编号", "电话"], file: "x.csv")
        let bad = SourceRecord(position: SourcePosition(file: "x.csv", line: 2, record: 1), content: .row(["K1", "12"]), raw: [])
        guard case .rejected(let r) = mapper.map(bad) else { Issue.record("not rejected"); return }
        #expect(r.reason == "invalid_phone")
        #expect(r.field == "电话")
    }

    @Test("integers: counting words, numerals; approximate counts fail", arguments: [
        ("三人", 3), ("12名", 12), ("5户", 5), ("两", 2), ("12.0", 12), ("一百零三人次", 103), ("十余人", nil), ("约20人", nil), ("30多人", nil),
    ] as [(String, Int?)])
    func integers(_ c: (String, Int?)) throws {
        let m = try compile("feed: f\nkey: 编号\nfields:\n  headcount: {column: 人数, on_error: drop_value}\n")
        let mapper = try RecordMapper(mapping: m, header: ["编号", "人数"], file: "x.csv")
        let record = SourceRecord(position: SourcePosition(file: "x.csv", line: 2, record: 1), content: .row(["K1", c.0]), raw: [])
        guard case .event(let d, let findings) = mapper.map(record) else { Issue.record("not an event"); return }
        #expect(d.headcount == c.1, "\(c.0)")
        #expect(findings.map(\.code) == (c.1 == nil ? ["invalid_integer"] : []))
    }

    @Test("a phone or ID number in a headcount is dropped without its digits", arguments: ["13912345678", "320102195705194788", "100000"])
    func implausibleHeadcount(_ text: String) throws {
        let m = try compile("feed: f\nkey: 编号\nfields:\n  headcount: {column: 人数, on_error: drop_value}\n")
        let mapper = try RecordMapper(mapping: m, header: ["编号", "人数"], file: "x.csv")
        let record = SourceRecord(position: SourcePosition(file: "x.csv", line: 2, record: 1), content: .row(["K1", text]), raw: [])
        guard case .event(let d, let findings) = mapper.map(record) else { Issue.record("not an event"); return }
        #expect(d.headcount == nil)
        #expect(findings.map(\.code) == ["implausible_value"])
        #expect(findings.allSatisfy { $0.rawValue == nil && !$0.message.contains(text) })
    }
}

@Suite("A fallback key and the load order of files")
struct FallbackKeyTests {
    let folder: String = {
        let f = NSTemporaryDirectory() + "onegrid-fallback-key-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: f, withIntermediateDirectories: true)
        return f
    }()

    @Test("a first_of key: the first column with a value; none → missing_required naming what each held")
    func fallbackKey() throws {
        let path = folder + "/m.yaml"
        try Data("feed: f\nfile_date: '(20\\d{6})'\nkey: {first_of: [案件号, 备用号]}\n".utf8).write(to: URL(fileURLWithPath: path))
        let mapping = try Mapping.load(path: path)
        let mapper = try RecordMapper(mapping: mapping, header: ["案件号", "备用号", "内容"], file: "fallback.csv")
        func row(_ cells: [String]) -> MappedRecord {
            mapper.map(SourceRecord(position: SourcePosition(file: "fallback.csv", line: 2, record: 1), content: .row(cells), raw: []))
        }
        #expect(row(["A1", "B1", "x"]).draft?.sourceKey == "A1")
        #expect(row([" ", "B1", "x"]).draft?.sourceKey == "B1")
        let r = try #require(row(["", "", "x"]).rejection)
        #expect(r == RecordRejection(reason: "missing_required", field: "案件号+备用号",
                                     message: "key: required value is empty (tried 案件号 empty, 备用号 empty)"))
    }

    @Test("files load by the date their names carry; undated and equal dates keep the order given")
    func loadOrder() throws {
        let path = folder + "/d.yaml"
        try Data("feed: f\nfile_date: '(20\\d{6})'\nkey: k\n".utf8).write(to: URL(fileURLWithPath: path))
        let mapping = try Mapping.load(path: path)
        #expect(mapping.loadOrder(["x_20200624.csv", "b_20200623.csv", "notes.csv", "a_20200623.csv"])
            == ["notes.csv", "b_20200623.csv", "a_20200623.csv", "x_20200624.csv"])
    }
}
