import Foundation
import GRDB
import Testing
import OneGridExport
import OneGridModel
import OneGridWarehouse

/// The sample with a square boundary for each grid but the last (杉湖路社区第一网格 is left
/// without one, to show how a grid without a boundary is reported).
enum ReportSample {
    static let drawn = ["320116001003001", "320116001003002"]

    static func warehouse(names: [String: String] = [:]) throws -> Warehouse {
        let w = try Sample.warehouse()
        try w.write { db in
            for (i, code) in drawn.enumerated() {
                let x = 118.80 + Double(i) * 0.01
                let square = [Polygon(outer: [Coordinate(lng: x, lat: 32.30), Coordinate(lng: x + 0.01, lat: 32.30),
                                              Coordinate(lng: x + 0.01, lat: 32.31), Coordinate(lng: x, lat: 32.31)])]
                let json = String(decoding: try JSONEncoder().encode(square), as: UTF8.self)
                try db.execute(sql: "UPDATE grid SET boundary = ? WHERE code = ?", arguments: [json, code])
            }
            for (code, name) in names {
                try db.execute(sql: "UPDATE grid SET name = ? WHERE code = ?", arguments: [name, code])
            }
        }
        return w
    }

    static func options(_ month: String, thresholds: AssessmentThresholds = .anySample, language: HeaderLanguage = .zh,
                        district: String? = nil) -> ReportOptions {
        ReportOptions(month: month, district: district, language: language, thresholds: thresholds,
                      generatedAt: Sample.ts("2020-07-02 08:30:00"))
    }
}

/// Attribute values of every element `<tag …>` in `html` that has `key`, in order.
func elements(_ html: String, tag: String, key: String) -> [[String: String]] {
    var out: [[String: String]] = []
    var rest = html[...]
    while let open = rest.range(of: "<\(tag) ") {
        let end = rest[open.upperBound...].firstIndex(of: ">")!
        let text = rest[open.upperBound..<end]
        var attributes: [String: String] = [:]
        var scan = text[...]
        while let eq = scan.range(of: "=\"") {
            let name = scan[..<eq.lowerBound].split(separator: " ").last.map(String.init) ?? ""
            let close = scan[eq.upperBound...].firstIndex(of: "\"")!
            attributes[name] = String(scan[eq.upperBound..<close])
            scan = scan[scan.index(after: close)...]
        }
        if attributes[key] != nil { out.append(attributes) }
        rest = rest[end...]
    }
    return out
}

@Suite struct ReportTests {
    @Test func onePathPerDrawnGridFilledWithItsGrade() throws {
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        let june = elements(try exporter.reportHTML(options: ReportSample.options("2020-06")), tag: "path", key: "data-grid")
        #expect(june.map { [$0["data-grid"]!, $0["data-grade"]!, $0["data-events"]!, $0["fill"]!] } == [
            ["320116001003001", "黄", "3", "#f2b705"],
            ["320116001003002", "", "0", "#eeeeee"],
        ])
        let may = elements(try exporter.reportHTML(options: ReportSample.options("2020-05")), tag: "path", key: "data-grid")
        #expect(may.map { [$0["data-grid"]!, $0["data-grade"]!, $0["fill"]!] } == [
            ["320116001003001", "", "#eeeeee"],
            ["320116001003002", "红", "#d7301f"],
        ])
    }

    @Test func belowTheMinimumSampleAGridIsNotGraded() throws {
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        let html = try exporter.reportHTML(options: ReportSample.options("2020-06", thresholds: AssessmentThresholds()))
        let paths = elements(html, tag: "path", key: "data-grid")
        #expect(paths.map { [$0["data-grade"]!, $0["fill"]!] } == [["样本不足", "#b8b8b8"], ["", "#eeeeee"]])
        #expect(!html.contains("data-grade=\"黄\""))
    }

    @Test func gridTableCountsEqualTheGridMonthlyExport() throws {
        let warehouse = try ReportSample.warehouse()
        let exporter = Exporter(warehouse: warehouse)
        let html = try exporter.reportHTML(options: ReportSample.options("2020-06"))
        let table = elements(html, tag: "tr", key: "data-grid").map { [$0["data-grid"]!, $0["data-events"]!] }
        var o = options()
        o.headers = .en
        let monthly = try exporter.rows(table: .gridMonthly, options: o)
        let unit = monthly.headers.firstIndex(of: "unit_code")!, month = monthly.headers.firstIndex(of: "month")!
        let events = monthly.headers.firstIndex(of: "events")!
        var exported: [String: String] = [:]
        for row in plain(monthly.rows) where row[month] == "2020-06" && !row[unit].isEmpty { exported[row[unit]] = row[events] }
        // Every grid is listed, those without events that month with 0.
        #expect(table == [["320113005001001", "2"], ["320116001003001", "3"], ["320116001003002", "0"]])
        #expect(table.filter { $0[1] != "0" }.map { [$0[0], exported[$0[0]]!] } == table.filter { $0[1] != "0" })
        #expect(exported.count == 2)
        // The month's cards sum every event of the month, those without a grid included (6).
        #expect(html.contains("<div class=\"card\"><b>6</b><span>事件数</span></div>"))
        #expect(html.contains("1 个网格无边界数据，未绘入地图"))
    }

    @Test func warningsListTheirEventsAndEqualTheAlertsExport() throws {
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        let html = try exporter.reportHTML(options: ReportSample.options("2020-06"))
        let rows = elements(html, tag: "tr", key: "data-kind").map { [$0["data-kind"]!, $0["data-subject"]!] }
        var o = options(ExportFilter(since: Sample.ts("2020-06-01 00:00:00"), until: Sample.ts("2020-07-01 00:00:00")))
        o.alerts = AlertOptions()
        let exported = plain(try exporter.rows(table: .alerts, options: o).rows).map { [$0[0], $0[2]] }
        #expect(rows == exported)
        #expect(rows == [["repeat_incident", "1"], ["overdue", "hotline12345/NJ-002"], ["overdue", "patrol/DLQ-002"]])
        #expect(html.contains("<ul class=\"events\"><li data-event=\"1\">#1 hotline12345/NJ-001</li><li data-event=\"2\">#2 hotline12345/NJ-002</li><li data-event=\"3\">#3 petition/XF-001</li></ul>"))
        #expect(html.contains("<ul class=\"events\"><li data-event=\"5\">#5 patrol/DLQ-002</li></ul>"))
        #expect(html.contains("<h3 id=\"alerts-rising_grid\">网格事件激增 <span class=\"count\">0</span></h3>"))
    }

    @Test func thePageFetchesNothing() throws {
        let html = try Exporter(warehouse: try ReportSample.warehouse()).reportHTML(options: ReportSample.options("2020-06"))
        for needle in ["http:", "https:", "//", "url(", "src=", "href=", "@import", "@font-face", "<script", "<link", "<img"] {
            #expect(!html.contains(needle), "the page holds \(needle)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("\"Microsoft YaHei\",\"Noto Sans CJK SC\""))
    }

    @Test func englishLabels() throws {
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        let html = try exporter.reportHTML(options: ReportSample.options("2020-06", language: .en))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        for label in ["Grid assessment map", "Monthly trends", "Closure and satisfaction", "Early warnings", "Overdue matters",
                      "Yellow (failing)", "<th>Closure rate</th>"] {
            #expect(html.contains(label), "missing \(label)")
        }
        for label in ["网格考评地图", "月度趋势", "预警", "办结率"] { #expect(!html.contains(label), "still holds \(label)") }
        #expect(html.contains("3 reports within 30 days, from 2020-06-01 09:00:00 to 2020-06-10 10:00:00"))
    }

    @Test func theAreaLimitsTheGrids() throws {
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        let html = try exporter.reportHTML(options: ReportSample.options("2020-06", district: "320113"))
        #expect(elements(html, tag: "path", key: "data-grid").isEmpty)
        #expect(elements(html, tag: "tr", key: "data-grid").map { $0["data-grid"]! } == ["320113005001001"])
        #expect(html.contains("<h1>网格化社会治理月度报告 · 2020-06 · 栖霞区</h1>"))
    }

    @Test func theLatestMonthByDefault() throws {
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        var o = ReportSample.options("2020-06")
        o.month = nil
        #expect(try exporter.reportHTML(options: o) == exporter.reportHTML(options: ReportSample.options("2020-06")))
    }

    @Test func namesAreEscaped() throws {
        let hostile = "<script>alert(\"x\")</script>&amp;"
        let exporter = Exporter(warehouse: try ReportSample.warehouse(names: ["320116001003001": hostile]))
        let html = try exporter.reportHTML(options: ReportSample.options("2020-06"))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;"))
    }

    @Test func writtenReadableByAllAndWhole() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/report.html"
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        let summary = try exporter.report(to: path, options: ReportSample.options("2020-06"))
        #expect(summary.month == "2020-06" && summary.gridsDrawn == 2 && summary.gridsListed == 3 && summary.alerts == 3)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == (try exporter.reportHTML(options: ReportSample.options("2020-06"))))
        #expect(Int64(written.utf8.count) == summary.bytes)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
        #expect(mode & 0o600 == 0o600 && mode & 0o022 == 0)
        // No person appears: the sample's people are 张某某 and 李四 (masked 张** and 李*).
        for person in ["张", "李", "13800000000", "****"] { #expect(!written.contains(person)) }
    }

    @Test func aMonthWithoutAnyEventIsAnEmptyMapNotAnError() throws {
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        let html = try exporter.reportHTML(options: ReportSample.options("2019-01"))
        #expect(elements(html, tag: "path", key: "data-grid").map { $0["fill"]! } == ["#eeeeee", "#eeeeee"])
        #expect(html.contains("<div class=\"card\"><b>0</b><span>事件数</span></div>"))
    }
}

@Suite struct ReportRefusalTests {
    @Test(arguments: ["2020-13", "2020-6", "abcd", "", "2020-06-01", "+202-06", "２０２０-06", "2020-00"])
    func aMonthThatIsNotOne(month: String) throws {
        let exporter = Exporter(warehouse: try ReportSample.warehouse())
        #expect(throws: ExportError.invalidOption(name: "--month", message: "'\(month)' is not a month (YYYY-MM)")) {
            try exporter.reportHTML(options: ReportSample.options(month))
        }
    }

    @Test func anEmptyWarehouseHasNoMonthToReport() throws {
        #expect(throws: ExportError.invalidOption(name: "--month", message: "the area holds no event with a report time")) {
            try Exporter(warehouse: try Warehouse()).reportHTML(options: ReportOptions())
        }
    }

    @Test func brokenRingsAreLeftOutOfThePath() throws {
        let w = try ReportSample.warehouse()
        try w.write { db in
            // A triangle and a damaged one-point ring, as a registry might hand them.
            let triangle = Polygon(outer: [Coordinate(lng: 118.80, lat: 32.30), Coordinate(lng: 118.81, lat: 32.30),
                                           Coordinate(lng: 118.81, lat: 32.31)])
            let json = String(decoding: try JSONEncoder().encode([triangle, Polygon(outer: [Coordinate(lng: 118.8, lat: 32.3)])]),
                              as: UTF8.self)
            try db.execute(sql: "UPDATE grid SET boundary = ? WHERE code = '320116001003001'", arguments: [json])
        }
        let html = try Exporter(warehouse: w).reportHTML(options: ReportSample.options("2020-06"))
        let path = elements(html, tag: "path", key: "data-grid").first { $0["data-grid"] == "320116001003001" }!
        #expect(path["d"]!.filter { $0 == "M" }.count == 1, "the one-point ring is not drawn")
    }
}
