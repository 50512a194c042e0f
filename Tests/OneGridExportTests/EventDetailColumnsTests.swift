import Foundation
import Testing
import OneGridExport
import OneGridModel

/// The events export carries title, channel, urgency, headcount and how the place was
/// matched; CSV and XLSX time headers say their zone.
@Suite struct EventDetailColumnsTests {
    static func exporter() throws -> Exporter {
        let w = try Sample.warehouse()
        try w.write { db in
            try db.execute(sql: """
                UPDATE event SET title = '华城名府油烟扰民', channel = '电话', urgency = '紧急', headcount = 3,
                  match_method = 'std_address', match_confidence = 0.95 WHERE id = 1
                """)
        }
        return Exporter(warehouse: w)
    }

    @Test func theLastSixColumns() throws {
        let result = try Self.exporter().rows(table: .events, options: options())
        #expect(Array(result.headers.suffix(6)) == ["title", "channel", "urgency", "headcount", "match_method", "match_confidence"])
        #expect(Array(result.rows[0].suffix(6)) == [.text("华城名府油烟扰民"), .text("电话"), .text("紧急"), .integer(3),
                                                     .text("std_address"), .real(0.95)])
        #expect(Array(result.rows[1].suffix(6)) == [.null, .null, .null, .null, .null, .null])
        let zh = try Self.exporter().rows(table: .events, options: options(headers: .zh)).headers
        #expect(Array(zh.suffix(6)) == ["标题", "渠道", "紧急程度", "涉及人数", "地点匹配方式", "地点匹配置信度"])
    }

    @Test func theFastPathAndClearPeopleAgree() throws {
        // --pii clear reads people from the payloads, a branch of its own in the block reader.
        let exporter = try Self.exporter()
        let clear = try exporter.rows(table: .events, options: options(pii: .clear, key: Sample.key)).rows
        #expect(Array(clear[0].suffix(6)) == [.text("华城名府油烟扰民"), .text("电话"), .text("紧急"), .integer(3),
                                               .text("std_address"), .real(0.95)])
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var o = options()
        o.bom = false
        try exporter.export(table: .events, format: .csv, to: folder + "/e.csv", options: o)
        let lines = try String(contentsOfFile: folder + "/e.csv", encoding: .utf8).components(separatedBy: "\r\n")
        #expect(lines[1].hasSuffix(",caller:张**,caller:138****0000,caller:320123********123X,华城名府油烟扰民,电话,紧急,3,std_address,0.95"))
    }

    @Test(arguments: [ExportFormat.csv, .xlsx])
    func timeHeadersSayTheirZone(format: ExportFormat) throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/alerts." + format.rawValue
        var o = options(headers: .zh)
        o.bom = false
        try Exporter(warehouse: try Sample.warehouse()).export(table: .alerts, format: format, to: path, options: o)
        let expected = "预警类型编码,预警类型,预警对象,网格编码,网格名称,分类编码,分类,起始时间(+08:00),截止时间(+08:00),次数/超期天数,基线,说明"
        if format == .csv {
            #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix(expected + "\r\n"))
        } else {
            let sheet = String(decoding: try run("/usr/bin/unzip", ["-p", path, "xl/worksheets/sheet1.xml"]) ?? Data(), as: UTF8.self)
            #expect(sheet.contains(#"<t xml:space="preserve">起始时间(+08:00)</t>"#))
        }
    }

    @Test func jsonLinesKeysStayPlain() throws {
        // JSON Lines values carry +08:00 themselves; keys are stable names.
        #expect(ExportColumn("reported_at", "上报时间").header(.en, zoneless: false) == "reported_at")
        #expect(ExportColumn("reported_at", "上报时间").header(.en, zoneless: true) == "reported_at(+08:00)")
        #expect(ExportColumn("first_report", "首次上报").holdsTimes && ExportColumn("last_reported", "x").holdsTimes)
        #expect(!ExportColumn("month", "月份").holdsTimes && !ExportColumn("hours_to_close", "x").holdsTimes)
    }
}

@Suite struct HeadcountPrivacyTests {
    @Test(arguments: [(Int64(13_912_345_678), true), (320_102_195_705_194_788, true), (100_000, true), (-1, true),
                      (99_999, false), (12, false)])
    func anIdentifierParsedAsAHeadcountIsNotShown(value: Int64, hidden: Bool) throws {
        let w = try Sample.warehouse()
        try w.write { db in try db.execute(sql: "UPDATE event SET headcount = ? WHERE id = 1", arguments: [value]) }
        let row = try Exporter(warehouse: w).rows(table: .events, options: options()).rows[0]
        #expect(row[row.count - 3] == (hidden ? .null : .integer(value)))
    }
}
