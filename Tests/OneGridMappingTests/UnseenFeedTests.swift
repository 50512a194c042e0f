import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import Testing

/// Maps a fixture of Tests/Fixtures/unseen with its mapping there: three feeds written from
/// Mappings/README.md alone, one a style (GBK CSV, XML with repeated steps, JSON Lines with
/// nested objects and epoch-millisecond times).
func mapUnseen(_ mapping: String, _ data: String) throws -> [MappedRecord] {
    try mapAll(root + "/Tests/Fixtures/unseen/\(mapping).yaml", root + "/Tests/Fixtures/unseen/\(data)")
}

func beijing(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Timestamp? {
    Timestamp(beijingYear: 2020, month: 6, day: day, hour: hour, minute: minute)
}

@Suite("An unseen GBK CSV: 12319 城建热线 (unseen/cj12319.yaml)")
struct UnseenCSVTests {
    let records: [MappedRecord]
    init() throws { records = try mapUnseen("cj12319", "cj12319_20200626.csv") }

    @Test("six records: five events and one reject, in file order")
    func outcomes() {
        #expect(records.map { $0.draft?.sourceKey ?? $0.rejection?.reason.code ?? "?" }
            == ["CJ001", "CJ002", "13912345678@2020-06-26 10:00:00", "invalid_datetime", "CJ005", "CJ006"])
    }

    @Test("12-hour Chinese times in a CSV cell")
    func twelveHour() {
        #expect(records.map { $0.draft?.reportedAt } == [beijing(26, 21, 18), beijing(26, 8), beijing(26, 10), nil, beijing(27, 0), beijing(26, 1, 5)])
    }

    @Test("first_of falls through a value that does not parse to the next column")
    func firstOfFallsThrough() throws {
        #expect(try #require(records[1].draft).reportedAt == beijing(26, 8))
    }

    @Test("first_of with no usable branch names every source tried and the value each held")
    func firstOfFailure() throws {
        let r = try #require(records[3].rejection)
        #expect(r.reason == "invalid_datetime")
        #expect(r.field == "来电时间+受理时间")
        #expect(r.message == "reported_at: no source gave a usable value: tried 来电时间 '坏时间' (invalid_datetime), 受理时间 '也坏' (invalid_datetime)")
    }

    @Test("a fallback key built by concat from a normalised phone and time")
    func concatKey() throws {
        // The same caller written +86-139 1234 5678 in the cell gives the phone's digits.
        #expect(try #require(records[2].draft).sourceKey == "13912345678@2020-06-26 10:00:00")
    }

    @Test("Chinese numerals and counting words as headcounts; an approximate count is dropped")
    func headcounts() {
        #expect(records.map { $0.draft?.headcount } == [3, 12, 2, nil, nil, 103])
        #expect(records[4].findings.map(\.code) == ["invalid_integer"])
        #expect(records[4].findings.map(\.field) == ["headcount"])
    }

    @Test("the crosswalk's default takes what the table lacks, and notes it")
    func crosswalkDefault() {
        #expect(records.map { $0.draft?.category } == ["CG.03", "CG.99", "CG.03", nil, "CG.03", "CG.99"])
        let note = records[1].findings.first
        #expect(note?.code == "unmapped_value")
        #expect(note?.message == "'未知类>其他' is not in crosswalk cj12319-categories.yaml; suggested CG.99 (default)")
        #expect(note?.isCrosswalkSuggestion == true)
    }

    @Test("when: closed_at only for a closed order, and no finding where the condition is false")
    func when() {
        #expect(records.map { $0.draft?.closedAt } == [beijing(27, 10, 30), nil, nil, nil, nil, beijing(26, 13)])
        #expect(records[1].findings.map(\.field) == ["category"])
    }

    @Test("deadline_days is read")
    func deadline() throws {
        #expect(try Mapping.load(path: root + "/Tests/Fixtures/unseen/cj12319.yaml").deadlineDays == 10)
    }
}

@Suite("An unseen XML with repeated steps: 市场监管 complaints (unseen/scjg.yaml)")
struct UnseenXMLTests {
    let records: [MappedRecord]
    init() throws { records = try mapUnseen("scjg", "scjg_20200626.xml") }

    func draft(_ i: Int) throws -> EventDraft { try #require(records[i].draft) }

    @Test("the handling unit from the step whose own text starts 分派至")
    func handlingUnit() {
        #expect(records.map { $0.draft?.handlingUnit } == ["玄武区市场监管局", "秦淮区市场监管局", nil])
    }

    @Test("the closing time from the last 办结 / 结案 step; none without one")
    func closedAt() {
        #expect(records.map { $0.draft?.closedAt } == [beijing(28, 11), nil, beijing(27, 9)])
    }

    @Test("positions: Step[-1] for the last step's time, Step[last]/#text for its text")
    func positions() throws {
        #expect(try draft(0).versionAt == beijing(28, 15))
        // Clean-up folds full-width punctuation: （ ） ： become ( ) :.
        #expect(records.map { $0.draft?.sourceStatus } == ["回访", "分派至秦淮区市场监管局", "结案(不属于管辖)"])
    }

    @Test("a regex over the picked step's text")
    func result() {
        #expect(records.map { $0.draft?.result } == ["责令下架", nil, "不属于管辖"])
    }

    @Test("steps whose action is the element's own text (\"\"), with an attribute beside it")
    func steps() throws {
        #expect(try draft(0).steps.map(\.action) == ["登记", "分派至玄武区市场监管局", "调查核实", "办结:责令下架", "回访"])
        #expect(try draft(0).steps.map(\.unit) == [nil, "张三", nil, nil, nil])
    }

    @Test("12-hour times and a Chinese numeral in XML text")
    func clockAndNumeral() {
        #expect(records.map { $0.draft?.reportedAt } == [beijing(26, 9, 5), beijing(26, 15, 30), beijing(26, 20)])
        #expect(records.map { $0.draft?.headcount } == [2, nil, nil])
    }

    @Test("the dry-run's field usage: \"#text\", \".\" and \"\" name no missing field")
    func usage() throws {
        let mapping = try Mapping.load(path: root + "/Tests/Fixtures/unseen/scjg.yaml")
        let reader = try FeedReaders.open(path: root + "/Tests/Fixtures/unseen/scjg_20200626.xml", format: .xml, options: mapping.readOptions)
        var usage = SourceFieldUsage()
        while let item = try reader.next() { if case .record(let r) = item { usage.observe(r) } }
        #expect(usage.missing(from: mapping) == [])
        #expect(usage.unused(by: mapping).map(\.path) == [])
    }
}

@Suite("An unseen JSON Lines feed: 110 非警务警情 (unseen/fjw110.yaml)")
struct UnseenJSONLinesTests {
    let records: [MappedRecord]
    init() throws { records = try mapUnseen("fjw110", "fjw110_20200626.jsonl") }

    @Test("epoch milliseconds; an unreadable time rejects the record")
    func times() throws {
        #expect(records.map { $0.draft?.reportedAt } == [beijing(26, 20, 58), beijing(26, 22), nil])
        let r = try #require(records[2].rejection)
        #expect(r.reason == "invalid_datetime")
        #expect(r.field == "bjsj")
    }

    @Test("positions into an array: cz[1] and cz[first]")
    func positions() {
        #expect(records.map { $0.draft?.handlingUnit } == ["珠江路派出所", nil, nil])
        #expect(records.map { $0.draft?.dispatchedAt } == [beijing(26, 21), nil, nil])
    }

    @Test("item + where + pick: the closing time from the last item whose action ends 结案")
    func closedAt() {
        #expect(records.map { $0.draft?.closedAt } == [beijing(26, 22), nil, nil])
    }

    @Test("when: with a picked item as its condition")
    func conditionalStatus() {
        #expect(records.map { $0.draft?.status } == [.closed, nil, nil])
    }

    @Test("a Chinese numeral given as a JSON string and a JSON number")
    func headcount() {
        #expect(records.map { $0.draft?.headcount } == [3, 2, nil])
    }

    @Test("nested objects: concat leaves an absent part out; a GCJ-02 point from strings and numbers")
    func nested() throws {
        #expect(records.map { $0.draft?.sourceCategory } == ["纠纷>邻里纠纷", "求助", nil])
        #expect(try #require(records[1].draft).place.point == GeoPoint(lng: 118.8, lat: 32.06, datum: .gcj02))
        #expect(try #require(records[0].draft).parties.map { $0.phone?.value } == ["13912345678"])
    }
}
