import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import Testing

@Suite("JSON Lines rules (mapping-rules/rules.jsonl)")
struct JSONLinesRuleTests {
    let records: [MappedRecord]
    init() throws { records = try mapFixture("rules-jsonl", "rules.jsonl") }

    @Test("nested paths; a JSON number and a number given as a string; the datum from the data")
    func coordinates() throws {
        let d = try #require(records[0].draft)
        #expect(d.place.point == GeoPoint(lng: 118.63, lat: 32.14, datum: .bd09))
    }

    @Test("formats naming only epoch_milliseconds and iso8601: an epoch in ms parses")
    func epoch() throws {
        #expect(try #require(records[0].draft).reportedAt == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 8, minute: 15))
    }

    @Test("formats naming only forms refuse the patterns they do not list")
    func formsOnly() throws {
        let r = try #require(records[2].rejection)
        #expect(r.reason == "invalid_datetime")
        #expect(r.field == "meta.created")
        #expect(r.rawValue == "2020-06-23 08:15")
    }

    @Test("bool from a JSON true; integer from a string")
    func scalars() throws {
        let d = try #require(records[0].draft)
        #expect(d.selfResolved == true)
        #expect(d.headcount == 2)
    }

    @Test("each: an array makes one party an item; lead defaults to false; a bad phone is dropped")
    func eachArray() throws {
        let d = try #require(records[0].draft)
        let witnesses = d.parties.filter { $0.role == "witness" }
        #expect(witnesses.map(\.name) == ["甲", "乙"])
        #expect(witnesses.map(\.isLead) == [true, false])
        #expect(witnesses.map { $0.phone?.value } == ["13800000001", nil])
        #expect(records[0].findings.map(\.code) == ["invalid_phone"])
    }

    @Test("numbered with {n} in paths")
    func numberedPaths() throws {
        #expect(try #require(records[0].draft).parties.filter { $0.role == "reporter" }.map(\.name) == ["丙", "丁"])
    }

    @Test("steps from an array, sorted by time")
    func steps() throws {
        #expect(try #require(records[0].draft).steps.map(\.action) == ["上报", "派单"])
    }

    @Test("skip_rows by path")
    func skipByPath() { #expect(records[1].skipReason == "heartbeat") }

    @Test("fields present but never read, and paths read but never present")
    func usage() throws {
        let mapping = try Mapping.load(path: root + "/Tests/Fixtures/mappings/rules-jsonl.yaml")
        let reader = try FeedReaders.open(path: root + "/Tests/Fixtures/mapping-rules/rules.jsonl", format: .jsonl, options: mapping.readOptions)
        var usage = SourceFieldUsage()
        while let item = try reader.next() { if case .record(let r) = item { usage.observe(r) } }
        #expect(usage.unused(by: mapping).map(\.path) == ["extra.x"])
        #expect(usage.missing(from: mapping) == [])
    }
}

@Suite("XML rules (mapping-rules/rules.xml)")
struct XMLRuleTests {
    let records: [MappedRecord]
    init() throws { records = try mapFixture("rules-xml", "rules.xml") }

    @Test("key from an attribute; element text; attribute of an element with text")
    func attributes() throws {
        let d = try #require(records[0].draft)
        #expect(d.sourceKey == "X1")
        #expect(d.place.address == "延安路18号")
        #expect(d.place.community == "桥西社区")
    }

    @Test("first_of falls through an empty element to its attribute")
    func firstOf() throws { #expect(try #require(records[0].draft).title == "噪声") }

    @Test("each over repeated elements, with the role taken from the data")
    func roleFromData() throws {
        let d = try #require(records[0].draft)
        #expect(d.parties.map(\.role) == ["petitioner", "agent"])
        #expect(d.parties.map(\.name) == ["甲", "乙"])
    }

    @Test("steps from repeated elements' attributes, sorted by time")
    func steps() throws {
        #expect(try #require(records[0].draft).steps.map(\.action) == ["受理", "交办"])
    }

    @Test("a bad integer attribute under drop_value")
    func droppedInteger() throws {
        #expect(try #require(records[0].draft).headcount == nil)
        #expect(records[0].findings.map(\.code) == ["invalid_integer"])
    }

    @Test("skip_rows by an attribute path")
    func skip() { #expect(records[1].skipReason == "test case") }
}

@Suite("Crosswalks")
struct CrosswalkTests {
    @Test("prefix match: a minor class not listed falls back to its major class; a kind not listed misses")
    func prefix() throws {
        let c = try Crosswalk(path: root + "/Mappings/codes/citymgmt-categories.yaml")
        #expect(c.lookup("事件>01>16") == "HB.01")
        #expect(c.lookup("事件>01>99") == "CG.03")
        #expect(c.lookup("部件>04>02") == "CG.09")
        #expect(c.lookup("扩展>21>07") == nil)
    }

    @Test("exact match: only listed values")
    func exact() throws {
        let c = try Crosswalk(path: root + "/Tests/Fixtures/mappings/codes/rules-categories.yaml")
        #expect(c.lookup("环保-油烟") == "HB.01")
        #expect(c.lookup("环保-油烟-夜间") == nil)
    }
}
