import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import Testing

/// Maps a fixture of Tests/Fixtures/mapping-rules with a mapping of Tests/Fixtures/mappings.
func mapFixture(_ mapping: String, _ data: String) throws -> [MappedRecord] {
    try mapAll(root + "/Tests/Fixtures/mappings/\(mapping).yaml", root + "/Tests/Fixtures/mapping-rules/\(data)")
}

extension MappedRecord {
    var draft: EventDraft? { if case .event(let d, _) = self { return d } else { return nil } }
    var findings: [Finding] { if case .event(_, let f) = self { return f } else { return [] } }
    var rejection: RecordRejection? { if case .rejected(let r) = self { return r } else { return nil } }
    var skipReason: String? { if case .skipped(let r) = self { return r } else { return nil } }
}

@Suite("CSV rules: every source, transform, parse and policy (mapping-rules/rules.csv)")
struct CSVRuleTests {
    let records: [MappedRecord]
    init() throws { records = try mapFixture("rules-csv", "rules.csv") }

    func draft(_ i: Int) throws -> EventDraft { try #require(records[i].draft) }

    @Test("the file's nine records map to events, rejects and skips in file order")
    func outcomes() {
        #expect(records.map { $0.draft?.sourceKey ?? $0.rejection?.reason.code ?? $0.skipReason ?? "?" }
            == ["A001", "A002", "A003", "invalid_datetime", "missing_required", "test row", "A007", "invalid_number", "footer row"])
    }

    @Test("column through an alias, with regex keeping group 1 (leading apostrophe dropped)")
    func keyAliasAndRegex() throws {
        #expect(try draft(0).sourceKey == "A001")
        #expect(try draft(6).sourceKey == "A007")
    }

    @Test("const")
    func constant() throws { #expect(try draft(0).channel == "电话") }

    @Test("split with index 0 and index -1")
    func split() throws {
        #expect(try draft(0).nature == "环保")
        #expect(try draft(0).sourceCategoryCode == "油烟")
    }

    @Test("concat with a separator; empty parts are left out")
    func concat() throws {
        #expect(try draft(0).sourceCategory == "环保-油烟>餐饮")
        #expect(try draft(1).sourceCategory == "未知-其他")
    }

    @Test("first_of takes the first rule that yields a value")
    func firstOf() throws {
        #expect(try draft(0).urgency == "特急")
        #expect(try draft(1).urgency == "一般")
    }

    @Test("max_of takes the latest date-time; a dropped sub-value does not reject")
    func maxOf() throws {
        #expect(try draft(0).versionAt == Timestamp(beijingYear: 2020, month: 6, day: 24, hour: 10))
        #expect(try draft(1).versionAt == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 12))
    }

    @Test("any_of with matches: true when any sub-rule matches, and a voided record is withdrawn")
    func anyOfMatches() throws {
        #expect(try draft(0).isVoided == false)
        #expect(try draft(6).isVoided)
        #expect(try draft(6).status == .withdrawn)
    }

    @Test("map, and map_default for values the map lacks")
    func map() throws {
        #expect(try draft(0).status == .closed)
        #expect(try draft(1).status == .processing)
        #expect(try draft(2).status == .closed)
    }

    @Test("crosswalk hit, and a miss under drop_value is an unmapped_value finding")
    func crosswalk() throws {
        #expect(try draft(0).category == "HB.01")
        #expect(try draft(2).category == "CG.01")
        #expect(try draft(1).category == nil)
        #expect(records[1].findings.contains(Finding(code: "unmapped_value", field: "category",
                                                     message: "'未知-其他' is not in crosswalk rules-categories.yaml", rawValue: "未知-其他")))
    }

    @Test("default fills an empty value as a unified value (the map is not applied to it)")
    func defaults() throws {
        #expect(try draft(0).title == "油烟扰民")
        #expect(try draft(1).title == "无标题")
        #expect(try draft(2).place.point == nil)
    }

    @Test("a default datum applies when the column is empty")
    func defaultDatum() throws {
        #expect(try draft(6).place.point == GeoPoint(lng: 118.6, lat: 32.2, datum: .wgs84))
    }

    @Test("a bad number under drop_value is a finding, and half a coordinate pair makes no point")
    func droppedNumber() throws {
        #expect(try draft(1).place.point == nil)
        #expect(records[1].findings.contains { $0.code == "invalid_number" && $0.field == "place.lat" && $0.rawValue == "north" })
    }

    @Test("datetime: default forms, including an Excel serial")
    func datetimeDefault() throws {
        #expect(try draft(0).reportedAt == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 8))
        #expect(try draft(1).reportedAt == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 12))
    }

    @Test("formats: a listed pattern and a named form; a form not listed fails")
    func datetimeFormats() throws {
        #expect(try draft(0).dispatchedAt == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 9, minute: 30))
        #expect(try draft(1).dispatchedAt == Timestamp(beijingYear: 2020, month: 6, day: 9, hour: 9))
        #expect(try draft(2).dispatchedAt == nil)
        #expect(records[2].findings.map(\.code) == ["invalid_datetime"])
    }

    @Test("number given as a (full-width) string, with the datum mapped")
    func numberAndDatum() throws {
        #expect(try draft(0).place.point == GeoPoint(lng: 118.78, lat: 32.04, datum: .gcj02))
    }

    @Test("integer, and a bad integer dropped under drop_value")
    func integer() throws {
        #expect(try draft(0).headcount == 3)
        #expect(try draft(1).headcount == nil)
        #expect(records[1].findings.contains { $0.code == "invalid_integer" && $0.field == "headcount" && $0.rawValue == "abc" })
    }

    @Test("a bad number under on_error: reject rejects the record, naming column and value")
    func rejectPolicy() throws {
        let r = try #require(records[7].rejection)
        #expect(r == RecordRejection(reason: "invalid_number", field: "经度", message: "place.lng: '东经118' is not a number", rawValue: "东经118"))
    }

    @Test("bool: 是 and 否")
    func bool() throws {
        #expect(try draft(0).isRepeat)
        #expect(try draft(1).isRepeat == false)
    }

    @Test("id_number and phone parse; an Excel-damaged phone is dropped with a finding")
    func identifiers() throws {
        let d = try draft(0)
        #expect(d.parties.map(\.role) == ["caller", "contact", "contact"])
        #expect(d.parties[0].idNumber?.value == "320116199001011230")
        #expect(d.parties[0].phone?.value == "13800001234")
        #expect(d.parties[2].name == "王五")
        #expect(d.parties[2].phone == nil)
        #expect(records[0].findings.map(\.code) == ["excel_damaged_phone"])
    }

    @Test("numbered groups: {n} columns make one party each; empty parties are left out")
    func numbered() throws {
        #expect(try draft(0).parties.filter { $0.role == "contact" }.map(\.name) == ["李四", "王五"])
        #expect(try draft(1).parties.isEmpty)
    }

    @Test("a once group makes one step")
    func onceGroup() throws {
        #expect(try draft(0).steps.map(\.action) == ["受理"])
        #expect(try draft(0).steps[0].at == Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 8))
    }

    @Test("required: an unreadable date-time rejects the record with the column and raw value")
    func requiredBadValue() throws {
        let r = try #require(records[3].rejection)
        #expect(r.reason == "invalid_datetime")
        #expect(r.field == "时间")
        #expect(r.rawValue == "明天")
    }

    @Test("the key is required: an empty key rejects the record")
    func emptyKey() throws {
        let r = try #require(records[4].rejection)
        #expect(r.reason == "missing_required")
        #expect(r.field == "编号")
    }

    @Test("skip_rows: by the first non-empty cell, and by a named column")
    func skipRows() {
        #expect(records[8].skipReason == "footer row")
        #expect(records[5].skipReason == "test row")
    }
}
