import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import Testing

let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Maps every record of a fixture with a mapping.
func mapAll(_ mappingPath: String, _ file: String) throws -> [MappedRecord] {
    let mapping = try Mapping.load(path: mappingPath)
    let reader = try FeedReaders.open(path: file, format: mapping.format, options: mapping.readOptions)
    let mapper = try RecordMapper(mapping: mapping, header: reader.header, file: file)
    var out: [MappedRecord] = []
    while let item = try reader.next() {
        if case .record(let record) = item { out.append(mapper.map(record)) }
    }
    return out
}

@Suite("The 12345 mapping on a file with every quirk")
struct HotlineMappingTests {
    let records: [MappedRecord]

    init() throws {
        records = try mapAll(root + "/Mappings/hotline12345.yaml", root + "/Tests/Fixtures/hotline/quirks.csv")
    }

    func event(_ i: Int) throws -> (EventDraft, [Finding]) {
        guard case .event(let d, let f) = records[i] else { throw CancellationError() }
        return (d, f)
    }

    @Test("aliases, slash dates, Excel serials, the category path and the status map")
    func firstOrder() throws {
        let (d, findings) = try event(0)
        #expect(d.sourceKey == "NJ12345-20200623-000001")
        #expect(d.reportedAt == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 14, minute: 5))
        #expect(d.dispatchedAt == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 15))
        #expect(d.closedAt == Timestamp(beijingYear: 2020, month: 6, day: 13, hour: 12))
        #expect(d.category == "HB.01")
        #expect(d.status == .closed)
        #expect(d.place.district == "六合")
        #expect(d.place.point == GeoPoint(lng: 118.84, lat: 32.34, datum: .gcj02))
        #expect(d.steps.map(\.action) == ["办结", "受理", "派单"])
        #expect(d.parties.count == 1)
        #expect(d.parties[0].phone?.value == "13800001234")
        #expect(d.parties[0].idNumber == nil)
        #expect(findings.map(\.code) == ["excel_damaged_id"])
    }

    @Test("a voided order is withdrawn, a category outside the crosswalk is a finding")
    func voided() throws {
        let (d, findings) = try event(1)
        #expect(d.isVoided)
        #expect(d.status == .withdrawn)
        #expect(d.category == nil)
        #expect(findings.contains { $0.code == "unmapped_value" && $0.field == "category" && $0.rawValue == "未知分类>其他" })
    }

    @Test("quoted values with commas and doubled quotes")
    func quoted() throws {
        let (d, _) = try event(2)
        #expect(d.title == "欠薪,\"三个月\"")
        #expect(d.category == "MD.02")
        #expect(d.status == .received)
    }

    @Test("an undated order is rejected naming the column and the value")
    func rejected() throws {
        guard case .rejected(let r) = records[3] else { Issue.record("expected a reject"); return }
        #expect(r.reason == "invalid_datetime")
        #expect(r.field == "受理时间")
        #expect(r.rawValue == "明天")
    }

    @Test("the 合计 footer is skipped")
    func footer() {
        guard case .skipped(let reason) = records[4] else { Issue.record("expected a skip"); return }
        #expect(reason == "footer row")
    }
}

@Suite("Mapping files are validated before any record is read")
struct MappingValidationTests {
    func error(_ name: String) -> MappingError? {
        do { _ = try Mapping.load(path: root + "/Tests/Fixtures/mappings/\(name).yaml"); return nil } catch { return error }
    }

    @Test("an unknown key names the file, line and key path")
    func unknownKey() throws {
        let e = try #require(error("unknown-key"))
        #expect(e.line == 6)
        #expect(e.keyPath == "fields.reported_at.requird")
        #expect(e.message.hasPrefix("unknown key 'requird'"))
    }

    @Test("an unknown target field is refused")
    func unknownTarget() throws {
        let e = try #require(error("unknown-target"))
        #expect(e.line == 5)
        #expect(e.message.hasPrefix("unknown target field 'reporter_name'"))
    }

    @Test("a missing crosswalk file is refused")
    func missingCrosswalk() throws {
        let e = try #require(error("missing-crosswalk"))
        #expect(e.keyPath == "fields.category.crosswalk")
        #expect(e.message.contains("crosswalk file not found"))
    }

    @Test("a bad regular expression is refused")
    func badRegex() throws {
        let e = try #require(error("bad-regex"))
        #expect(e.keyPath == "key.regex")
    }

    @Test("a bad date format is refused")
    func badDateFormat() throws {
        let e = try #require(error("bad-date-format"))
        #expect(e.keyPath == "fields.reported_at.formats")
        #expect(e.message.contains("unknown pattern letter 'Q'"))
    }

    @Test("the three feed mappings compile")
    func shippedMappings() throws {
        for feed in ["hotline12345", "petition", "patrol"] {
            let m = try Mapping.load(path: root + "/Mappings/\(feed).yaml")
            #expect(m.feed == feed)
            #expect(m.hash.count == 64)
        }
    }
}

@Suite("Schema drift")
struct SchemaDriftTests {
    @Test("a header lacking a required column fails the file with expected and found columns")
    func missingRequired() throws {
        let mapping = try Mapping.load(path: root + "/Mappings/hotline12345.yaml")
        #expect(throws: FeedError.self) {
            try RecordMapper(mapping: mapping, header: ["标题", "工单状态"], file: "x.csv")
        }
        do { _ = try RecordMapper(mapping: mapping, header: ["标题", "工单状态"], file: "x.csv") } catch {
            #expect(error.kind == .schemaDrift)
            #expect(error.message.contains("header lacks required column(s) 工单编号, 受理时间"))
            #expect(error.message.contains("found 标题, 工单状态"))
        }
    }
}
