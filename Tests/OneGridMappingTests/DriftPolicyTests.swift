import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import Testing

@Suite("Schema drift policies, per mapping")
struct DriftPolicyTests {
    /// A small CSV mapping with the given `schema:` block, compiled from a temporary file.
    func mapping(_ schema: String) throws -> Mapping {
        let folder = NSTemporaryDirectory() + "onegrid-drift-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let yaml = """
            feed: drift
            columns: {编号: [单号]}
            schema: \(schema)
            key: 编号
            fields:
              reported_at: {column: 时间, required: true}
              title: 标题
            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: folder + "/drift.yaml"))
        return try Mapping.load(path: folder + "/drift.yaml")
    }

    @Test("missing_required: fail — the file fails with expected and found columns")
    func missingFails() throws {
        let m = try mapping("{missing_required: fail}")
        #expect(throws: FeedError(kind: .schemaDrift, position: SourcePosition(file: "f.csv", line: 1),
                                  message: "header lacks required column(s) 时间; expected 编号, 时间, 标题; found 单号, 标题")) {
            try RecordMapper(mapping: m, header: ["单号", "标题"], file: "f.csv")
        }
    }

    @Test("missing_required: warn — the file binds, the column is reported, records lacking it are rejected")
    func missingWarns() throws {
        let m = try mapping("{missing_required: warn}")
        let mapper = try RecordMapper(mapping: m, header: ["单号", "标题"], file: "f.csv")
        #expect(mapper.headerReport.missing == ["时间"])
        #expect(mapper.headerReport.missingRequired == ["时间"])
        let record = SourceRecord(position: SourcePosition(file: "f.csv", line: 2), content: .row(["A1", "t"]), raw: [])
        guard case .rejected(let r) = mapper.map(record) else { Issue.record("expected a reject"); return }
        #expect(r.reason == "missing_required")
        #expect(r.field == "时间")
    }

    @Test("unknown_columns: warn — unknown columns are reported")
    func unknownWarns() throws {
        let mapper = try RecordMapper(mapping: try mapping("{unknown_columns: warn}"), header: ["编号", "时间", "坐席"], file: "f.csv")
        #expect(mapper.headerReport.unknown == ["坐席"])
    }

    @Test("unknown_columns: ignore — nothing reported")
    func unknownIgnored() throws {
        let mapper = try RecordMapper(mapping: try mapping("{unknown_columns: ignore}"), header: ["编号", "时间", "坐席"], file: "f.csv")
        #expect(mapper.headerReport.unknown == [])
    }

    @Test("unknown_columns: fail — the file fails naming them")
    func unknownFails() throws {
        let m = try mapping("{unknown_columns: fail}")
        #expect(throws: FeedError(kind: .schemaDrift, position: SourcePosition(file: "f.csv", line: 1),
                                  message: "header has column(s) the mapping does not know: 坐席")) {
            try RecordMapper(mapping: m, header: ["编号", "时间", "坐席"], file: "f.csv")
        }
    }

    @Test("columns are found by name whatever their order, and optional ones may be absent")
    func reordered() throws {
        let mapper = try RecordMapper(mapping: try mapping("{}"), header: ["时间", "单号"], file: "f.csv")
        #expect(mapper.headerReport.matched == ["编号": "单号", "时间": "时间"])
        #expect(mapper.headerReport.missing == ["标题"])
        let record = SourceRecord(position: SourcePosition(file: "f.csv", line: 2), content: .row(["2020-06-23 08:00", "A1"]), raw: [])
        guard case .event(let d, _) = mapper.map(record) else { Issue.record("expected an event"); return }
        #expect(d.sourceKey == "A1")
        #expect(d.reportedAt == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 8))
    }
}
