import Testing
import OneGridExport
import OneGridModel
import OneGridPrivacy

let asOf = Sample.ts("2020-07-01 00:00:00")

func options(_ filter: ExportFilter = ExportFilter(), headers: HeaderLanguage = .en, pii: PIILevel = .masked,
             key: PIIKey? = nil, level: AggregationLevel = .grid, thresholds: AssessmentThresholds = .anySample,
             riseMinCount: Int = 3) -> ExportOptions {
    var alerts = AlertOptions()
    alerts.riseMinCount = riseMinCount
    // The sample holds two months: these expectations judge rises without history
    // (RisingGridHistoryTests holds the history rule).
    alerts.riseMinHistoryMonths = 0
    return ExportOptions(filter: filter, headers: headers, pii: pii, key: key, level: level, thresholds: thresholds,
                         alerts: alerts, asOf: asOf, exportedAt: Sample.ts("2020-07-02 08:30:00"))
}

@Suite struct TableTests {
    let exporter = Exporter(warehouse: try! Sample.warehouse())

    func table(_ t: ExportTable, _ o: ExportOptions = options()) throws -> (headers: [String], rows: [[String]]) {
        let r = try exporter.rows(table: t, options: o)
        return (r.headers, plain(r.rows))
    }

    @Test(arguments: [
        (ExportTable.events, Expected.eventsHeaders, Expected.events),
        (.incidents, Expected.incidentsHeaders, Expected.incidents),
        (.people, Expected.peopleHeaders, Expected.people),
        (.places, Expected.placesHeaders, Expected.places),
        (.grids, Expected.gridsHeaders, Expected.grids),
        (.gridMonthly, Expected.gridMonthlyHeaders, Expected.gridMonthly),
        (.alerts, Expected.alertsHeaders, Expected.alerts),
        (.rejects, Expected.rejectsHeaders, Expected.rejects),
    ])
    func exactRows(table t: ExportTable, headers: [String], rows: [[String]]) throws {
        let result = try table(t)
        #expect(result.headers == headers)
        #expect(result.rows == rows)
    }

    @Test(arguments: ExportTable.allCases)
    func chineseHeadersByDefault(table t: ExportTable) throws {
        var o = options()
        o.headers = .zh
        let result = try exporter.rows(table: t, options: o)
        #expect(result.headers == (try exporter.warehouse.readTables { reader in try t.columns(reader) }).map { $0.zh })
        #expect(Set(result.headers).count == result.headers.count, "headers are unique")
        #expect(ExportOptions().headers == .zh)
    }

    @Test func chineseHeadersOfEvents() throws {
        let headers = try table(.events, options(headers: .zh)).headers
        #expect(Array(headers.prefix(4)) == ["事件ID", "数据来源", "来源编号", "一级分类编码"])
        #expect(headers.contains("办结用时(小时)") && headers.contains("当事人"))
    }

    @Test func valueTypes() throws {
        let row = try exporter.rows(table: .events, options: options()).rows[0]
        #expect(row[0] == .integer(1))
        #expect(row[12] == .timestamp(Sample.ts("2020-06-01 09:00:00")))
        #expect(row[15] == .real(48))
        #expect(row[14] == .timestamp(Sample.ts("2020-06-03 09:00:00")))
        let empty = try exporter.rows(table: .events, options: options()).rows[6]
        #expect(empty[19] == .null)
    }

    // MARK: Filters

    func eventIDs(_ filter: ExportFilter) throws -> [String] {
        try table(.events, options(filter)).rows.map { $0[0] }
    }

    @Test func divisionFiltersSelectSubtrees() throws {
        #expect(try eventIDs(ExportFilter(district: "320113")) == ["5", "6"])
        #expect(try eventIDs(ExportFilter(street: "320116001")) == ["1", "2", "3", "4", "8"])
        #expect(try eventIDs(ExportFilter(community: "320116001003")) == ["1", "2", "3", "4", "8"])
        #expect(try eventIDs(ExportFilter(grid: "320116001003002")) == ["4", "8"])
        #expect(try eventIDs(ExportFilter(district: "320114")) == [])
    }

    @Test func sourceAndCategoryFilters() throws {
        #expect(try eventIDs(ExportFilter(source: "petition")) == ["3", "8"])
        #expect(try eventIDs(ExportFilter(source: "patrol, petition")) == ["3", "4", "5", "8"])
        #expect(try eventIDs(ExportFilter(category: "HB")) == ["1", "2", "3"])
        #expect(try eventIDs(ExportFilter(category: "HB.01.03")) == ["1", "2"])
        #expect(try eventIDs(ExportFilter(category: "HB.0")) == [], "a code prefix matches whole levels only")
    }

    @Test func timeFiltersAreHalfOpen() throws {
        let f = ExportFilter(since: Sample.ts("2020-06-01 00:00:00"), until: Sample.ts("2020-06-15 08:00:00"))
        #expect(try eventIDs(f) == ["1", "2", "3"])
        let g = ExportFilter(since: Sample.ts("2020-06-15 08:00:00"))
        #expect(try eventIDs(g) == ["5", "6", "7"])
    }

    @Test func filtersOnOtherTables() throws {
        #expect(try table(.incidents, options(ExportFilter(source: "patrol"))).rows.isEmpty)
        #expect(try table(.incidents, options(ExportFilter(source: "petition"))).rows.map { $0[0] } == ["1"])
        #expect(try table(.incidents, options(ExportFilter(since: Sample.ts("2020-06-11 00:00:00")))).rows.isEmpty)
        #expect(try table(.grids, options(ExportFilter(district: "320116"))).rows.map { $0[0] } == ["320116001003001", "320116001003002"])
        let grids = try table(.grids, options(ExportFilter(source: "petition"))).rows.map { $0.last! }
        #expect(grids == ["0", "1", "1"])
        #expect(try table(.places, options(ExportFilter(source: "patrol"))).rows.map { $0[0] } == ["2"])
        let people = try table(.people, options(ExportFilter(source: "petition"))).rows
        #expect(people.map { $0[6] } == ["petition:2", "petition:1"])
        #expect(try table(.rejects, options(ExportFilter(source: "patrol"))).rows.isEmpty)
        #expect(try table(.gridMonthly, options(ExportFilter(grid: "320116001003002"))).rows == [Expected.gridMonthly[3]])
    }

    // MARK: grid_monthly

    @Test func gridMonthlyRollsUpToCommunity() throws {
        let rows = try table(.gridMonthly, options(level: .community)).rows
        #expect(rows.map { Array($0[0..<5]) } == [
            ["community", "", "", "2020-06", "1"],
            ["community", "320113005001", "杉湖路社区", "2020-06", "2"],
            ["community", "320116001003", "桥西社区", "2020-05", "2"],
            ["community", "320116001003", "桥西社区", "2020-06", "3"],
        ])
        #expect(rows.map { $0.last! } == ["", "黄", "红", "黄"])
        let district = try table(.gridMonthly, options(level: .district)).rows
        #expect(district.map { [$0[1], $0[2], $0[3], $0[18]] } == [
            ["", "", "2020-06", ""], ["320113", "栖霞区", "2020-06", "0.5"],
            ["320116", "六合区", "2020-05", "1"], ["320116", "六合区", "2020-06", "0.3333"],
        ])
    }

    @Test func assessmentThresholdsAreConfigurable() throws {
        var t = AssessmentThresholds.anySample
        t.yellowClosureRateBelow = 0.5
        let rows = try table(.gridMonthly, options(thresholds: t)).rows
        #expect(rows.map { $0.last! } == ["", "蓝", "黄", "红"])
        let d = AssessmentThresholds()
        #expect(d.assess(due: 10, rated: 10, closureRate: 0.96, satisfiedShare: 0.91, repeatShare: 0.1) == "红")
        #expect(d.assess(due: 10, rated: 10, closureRate: 0.96, satisfiedShare: nil, repeatShare: 0) == "红")
        #expect(d.assess(due: 10, rated: 10, closureRate: 0.9, satisfiedShare: 0.95, repeatShare: 0) == "蓝")
        #expect(d.assess(due: 10, rated: 10, closureRate: 0.96, satisfiedShare: 0.8, repeatShare: 0) == "蓝")
        #expect(d.assess(due: 10, rated: 10, closureRate: 0.79, satisfiedShare: 1, repeatShare: 0) == "黄")
        #expect(d.assess(due: 10, rated: 10, closureRate: 1, satisfiedShare: 0.69, repeatShare: 0) == "黄")
        #expect(d.assess(due: 10, rated: 10, closureRate: 1, satisfiedShare: 1, repeatShare: 0.31) == "黄")
        #expect(d.assess(due: 0, rated: 10, closureRate: nil, satisfiedShare: nil, repeatShare: 0) == "样本不足")
    }

    // MARK: Alerts

    @Test func alertDefaultsAndAsOf() throws {
        // Default rise minimum (5) keeps the small grids quiet.
        var o = options()
        o.alerts = AlertOptions()
        #expect(try table(.alerts, o).rows.map { $0[0] } == ["repeat_incident", "overdue", "overdue"])
        // Earlier as-of: the hotline order is not yet overdue, the third report not yet made.
        o.asOf = Sample.ts("2020-06-09 00:00:00")
        #expect(try table(.alerts, o).rows.isEmpty)
        o.asOf = Sample.ts("2020-06-21 00:00:00")
        let rows = try table(.alerts, o).rows
        #expect(rows.map { [$0[0], $0[2], $0[9]] } == [["repeat_incident", "1", "3"], ["overdue", "hotline12345/NJ-002", "0"]])
        // Per-feed deadlines and the repeat window are options.
        var strict = options()
        strict.alerts.overdueDays["petition"] = 10
        strict.alerts.repeatWindowDays = 5
        #expect(try table(.alerts, strict).rows.map { [$0[0], $0[2]] } == [
            ["rising_grid", "320116001003001"],
            ["overdue", "hotline12345/NJ-002"], ["overdue", "petition/XF-001"], ["overdue", "patrol/DLQ-002"],
        ])
    }

    @Test func risingGridBaselineUsesPreviousMonths() throws {
        // Since June: May is only the baseline, so the May spike of grid …002 is not reported.
        var o = options(ExportFilter(since: Sample.ts("2020-06-01 00:00:00")), riseMinCount: 2)
        o.alerts.repeatMinReports = 99
        o.alerts.overdueDays = ["hotline12345": 999, "patrol": 999, "petition": 999]
        #expect(try table(.alerts, o).rows.map { [$0[2], $0[9], $0[10]] } == [
            ["320113005001001", "2", "0"], ["320116001003001", "3", "0"],
        ])
        o.filter = ExportFilter()
        #expect(try table(.alerts, o).rows.map { $0[2] } == ["320113005001001", "320116001003001", "320116001003002"])
    }
}
