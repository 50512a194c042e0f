import Foundation
import Testing
import OneGridExport
import OneGridModel

/// `steps` as an exportable table; `grids --month` carrying that month's figures.
@Suite struct StepsAndGridMonthTests {
    static func exporter() throws -> Exporter {
        let w = try Sample.warehouse()
        try w.write { db in
            try db.execute(sql: """
                INSERT INTO event_step VALUES
                  (1, 0, \(Sample.t("2020-06-01 09:05:00")), '受理', '12345热线', NULL),
                  (1, 1, \(Sample.t("2020-06-01 10:00:00")), '派单', '六合区环保局', '已派至雄州街道'),
                  (1, 2, NULL, '办结', '六合区环保局', '已整改 联系139****5678')
                """)
        }
        return Exporter(warehouse: w)
    }

    @Test func stepsInEventThenStepOrder() throws {
        let result = try Self.exporter().rows(table: .steps, options: options())
        #expect(result.headers == ["event_id", "source", "source_key", "ordinal", "step_at", "action", "unit", "result"])
        #expect(plain(result.rows) == [
            ["1", "hotline12345", "NJ-001", "0", "2020-06-01 09:05:00", "受理", "12345热线", ""],
            ["1", "hotline12345", "NJ-001", "1", "2020-06-01 10:00:00", "派单", "六合区环保局", "已派至雄州街道"],
            ["1", "hotline12345", "NJ-001", "2", "", "办结", "六合区环保局", "已整改 联系139****5678"],
            ["3", "petition", "XF-001", "0", "2020-06-10 11:00:00", "受理", "", ""],
        ])
    }

    @Test func stepsFollowTheEventFilters() throws {
        let exporter = try Self.exporter()
        #expect(plain(try exporter.rows(table: .steps, options: options(ExportFilter(source: "petition"))).rows).map { $0[0] } == ["3"])
        #expect(try exporter.rows(table: .steps, options: options(ExportFilter(district: "320113"))).rows.isEmpty)
        let zh = try exporter.rows(table: .steps, options: options(headers: .zh)).headers
        #expect(zh == ["事件ID", "数据来源", "来源编号", "步骤序号", "步骤时间", "环节", "处理单位", "处理结果"])
    }

    @Test func gridsCarryTheMonthsFigures() throws {
        var o = options()
        o.month = "2020-06"
        let result = try Exporter(warehouse: try Sample.warehouse()).rows(table: .grids, options: o)
        #expect(Array(result.headers.suffix(10)) == ["month", "month_events", "due", "closed", "closure_rate",
                                                     "median_hours_to_close", "repeat_share", "rated", "satisfied_share", "assessment"])
        // The same figures as grid_monthly's June rows (Expected.gridMonthly); …002 had no June event.
        #expect(plain(result.rows).map { Array($0.suffix(10)) } == [
            ["2020-06", "2", "2", "1", "0.5", "24", "0", "1", "1", "黄"],
            ["2020-06", "3", "3", "1", "0.3333", "48", "0.3333", "1", "0", "黄"],
            ["2020-06", "0", "0", "0", "", "", "", "0", "", ""],
        ])
    }

    @Test func theGeoJSONLayerHoldsThemAsProperties() throws {
        let warehouse = try ReportSample.warehouse()
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var o = options()
        o.month = "2020-05"
        let summary = try Exporter(warehouse: warehouse).export(table: .grids, format: .geojson, to: folder + "/g.geojson", options: o)
        #expect(summary.manifest.options["month"] == "2020-05")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/g.geojson"))) as! [String: Any]
        let properties = (json["features"] as! [[String: Any]]).map { $0["properties"] as! [String: Any] }
        let second = properties.first { $0["grid_code"] as? String == "320116001003002" }!
        #expect(second["month_events"] as? Int == 2 && second["assessment"] as? String == "红" && second["closure_rate"] as? Double == 1)
    }

    @Test func aMonthOnlyForGrids() throws {
        var o = options()
        o.month = "2020-06"
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ExportError.invalidOption(name: "--month", message: "only grids carry a month's figures")) {
            try Exporter(warehouse: try Sample.warehouse()).export(table: .events, format: .csv, to: folder + "/e.csv", options: o)
        }
        o.month = "2020-13"
        #expect(throws: ExportError.invalidOption(name: "--month", message: "'2020-13' is not a month (YYYY-MM)")) {
            try Exporter(warehouse: try Sample.warehouse()).export(table: .grids, format: .csv, to: folder + "/g.csv", options: o)
        }
    }
}
