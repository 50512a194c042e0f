import Foundation
import Testing
import OneGridCodecs
import OneGridExport
import OneGridModel

/// Runs a tool and returns its standard output, or nil when it is not installed.
func run(_ tool: String, _ arguments: [String]) throws -> Data? {
    guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}

/// The entries of a zip file, read through its central directory (names → uncompressed
/// bytes via `unzip -p`).
func zipEntryNames(_ bytes: [UInt8]) -> [String] {
    func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
    func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
    var end = bytes.count - 22
    while end > 0 && u32(end) != 0x0605_4B50 { end -= 1 }
    var offset = u32(end + 16)
    var names: [String] = []
    for _ in 0..<u16(end + 10) {
        precondition(u32(offset) == 0x0201_4B50)
        let nameLength = u16(offset + 28)
        names.append(String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self))
        offset += 46 + nameLength + u16(offset + 30) + u16(offset + 32)
    }
    return names
}

@Suite struct FormatTests {
    let exporter = Exporter(warehouse: try! Sample.warehouse())

    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func csvIsUTF8WithBOMAndRFC4180Quoting() throws {
        let path = try temporaryDirectory() + "/events.csv"
        let summary = try exporter.export(table: .events, format: .csv, to: path, options: options(ExportFilter(source: "hotline12345"), headers: .zh))
        let data = try bytes(path)
        #expect(summary.rows == 4)
        #expect(summary.bytes == Int64(data.count))
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("事件ID,数据来源,来源编号,一级分类编码,一级分类,"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 1 + 4 + 1, "header, 4 rows (the embedded LF does not split a record), final empty")
        #expect(lines[1] == "1,hotline12345,NJ-001,HB,环境保护,HB.01,大气污染,HB.01.03,餐饮油烟,投诉,closed,已办结,2020-06-01 09:00:00,2020-06-01 10:00:00,2020-06-03 09:00:00,48,六合区环保局,不满意,0,320116001003001,桥西社区第一网格,320116001003,桥西社区,320116001,雄州街道,320116,六合区,南京市六合区雄州街道华城名府3栋,1,caller:张**,caller:138****0000,caller:320123********123X,,,,,,")
        #expect(text.contains(",24,\"仙林街道, \"\"综治办\"\"\n二科\",满意,"))
        #expect(lines[4] == "7,hotline12345,NJ-004,,,,,,,,withdrawn,已撤销,2020-06-25 10:00:00,,,,,,0,,,,,,,,,,,,,,,,,,,")
    }

    @Test func csvQuotesOnlyWhatNeedsQuoting() throws {
        var out: [UInt8] = []
        let path = try temporaryDirectory() + "/q.csv"
        let writer = try CSVTableWriter(path: path, bom: false)
        try writer.begin(columns: ["a", "b,c"])
        try writer.write(row: [.text("plain"), .text("say \"hi\"")])
        try writer.write(row: [.text("line1\nline2"), .text(" padded")])
        try writer.write(row: [.null, .real(0.25)])
        _ = try writer.finish()
        out = try bytes(path)
        #expect(String(decoding: out, as: UTF8.self) == "a,\"b,c\"\r\nplain,\"say \"\"hi\"\"\"\r\n\"line1\nline2\",\" padded\"\r\n,0.25\r\n")
    }

    @Test func csvInGB18030HasNoBOM() throws {
        let path = try temporaryDirectory() + "/people.csv"
        var o = options(headers: .zh)
        o.encoding = .gb18030
        try exporter.export(table: .people, format: .csv, to: path, options: o)
        let data = try bytes(path)
        // 人员ID in GB18030: C8 CB D4 B1 49 44.
        #expect(Array(data.prefix(6)) == [0xC8, 0xCB, 0xD4, 0xB1, 0x49, 0x44])
        let utf8 = try Transcoder(from: .gb18030, to: .utf8).convert(data)
        #expect(String(decoding: utf8, as: UTF8.self).contains("\r\n1,张**,320123********123X,138****0000,\"caller,petitioner\",3,hotline12345:1; petition:2,"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".manifest.json"))) as! [String: Any]
        #expect(manifest["encoding"] as? String == "gb18030")
    }

    @Test func jsonLines() throws {
        let path = try temporaryDirectory() + "/alerts.jsonl"
        try exporter.export(table: .alerts, format: .jsonl, to: path, options: options())
        let lines = String(decoding: try bytes(path), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[3] == #"{"kind":"overdue","kind_name":"超期未办结","subject":"patrol/DLQ-002","grid_code":"320113005001001","grid_name":"杉湖路社区第一网格","category_code":"CG.02","category_name":"市容环卫","first_at":"2020-06-15T08:00:00+08:00","last_at":"2020-06-22T08:00:00+08:00","count":8,"baseline":7,"detail":"patrol办理时限7天，已超期8天，当前状态：已派单"}"#)
        for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
        let events = try temporaryDirectory() + "/events.jsonl"
        try exporter.export(table: .events, format: .jsonl, to: events, options: options(ExportFilter(source: "hotline12345")))
        let e = String(decoding: try bytes(events), as: UTF8.self).split(separator: "\n")
        #expect(e[2].contains(#""handling_unit":"仙林街道, \"综治办\"\n二科","#))
        #expect(e[3].contains(#""grid_code":null,"#))
    }

    @Test func xlsxStructure() throws {
        let path = try temporaryDirectory() + "/events.xlsx"
        let summary = try exporter.export(table: .events, format: .xlsx, to: path, options: options(headers: .zh))
        #expect(summary.rows == 8)
        let data = try bytes(path)
        #expect(Array(data.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        #expect(zipEntryNames(data) == ["xl/worksheets/sheet1.xml", "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                                        "xl/_rels/workbook.xml.rels", "xl/styles.xml"])
        guard let sheetData = try run("/usr/bin/unzip", ["-p", path, "xl/worksheets/sheet1.xml"]) else {
            Issue.record("unzip is needed to read the entries back"); return
        }
        // unzip verifies every CRC-32.
        #expect(try run("/usr/bin/unzip", ["-tq", path]).map { String(decoding: $0, as: UTF8.self).hasPrefix("No errors") } == true)
        let sheet = String(decoding: sheetData, as: UTF8.self)
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(sheet.contains(#"<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">事件ID</t></is></c>"#))
        #expect(sheet.contains(#"<c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t xml:space="preserve">hotline12345</t></is></c>"#))
        // 2020-06-01 09:00 Beijing = serial 43983.375, with the date style.
        #expect(sheet.contains(#"<c r="M2" s="2"><v>43983.375</v></c>"#))
        #expect(sheet.contains(#"<c r="P2"><v>48</v></c>"#))
        #expect(sheet.contains("仙林街道, \"综治办\"\n二科"))
        #expect(sheet.contains(#"<row r="9">"#) && !sheet.contains(#"<row r="10">"#))
        let styles = String(decoding: try run("/usr/bin/unzip", ["-p", path, "xl/styles.xml"]) ?? Data(), as: UTF8.self)
        #expect(styles.contains(#"<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/>"#))
        #expect(styles.contains(#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#))
        let workbook = String(decoding: try run("/usr/bin/unzip", ["-p", path, "xl/workbook.xml"]) ?? Data(), as: UTF8.self)
        #expect(workbook.contains(#"<sheet name="events" sheetId="1" r:id="rId1"/>"#))
    }

    @Test("a Chinese sheet name with a quote and an apostrophe is escaped whole in workbook.xml")
    func xlsxSheetNameEscaping() throws {
        let path = try temporaryDirectory() + "/named.xlsx"
        let writer = try XLSXTableWriter(path: path, sheetName: "事件 \"A\" & 'B'")
        try writer.begin(columns: ["x"])
        try writer.write(row: [.integer(1)])
        _ = try writer.finish()
        guard let data = try run("/usr/bin/unzip", ["-p", path, "xl/workbook.xml"]) else {
            Issue.record("unzip is needed to read the entries back"); return
        }
        #expect(String(decoding: data, as: UTF8.self).contains(#"<sheet name="事件 &quot;A&quot; &amp; &apos;B&apos;" sheetId="1""#))
    }

    @Test func xlsxContinuesOnANewSheetPastTheRowLimit() throws {
        let path = try temporaryDirectory() + "/e.xlsx"
        var o = options()
        o.maxRowsPerSheet = 4
        try exporter.export(table: .events, format: .xlsx, to: path, options: o)
        let names = zipEntryNames(try bytes(path))
        #expect(names.filter { $0.hasPrefix("xl/worksheets/") } == ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"])
        let workbook = String(decoding: try run("/usr/bin/unzip", ["-p", path, "xl/workbook.xml"]) ?? Data(), as: UTF8.self)
        #expect(workbook.contains(#"<sheet name="events (3)" sheetId="3" r:id="rId3"/>"#))
        let third = String(decoding: try run("/usr/bin/unzip", ["-p", path, "xl/worksheets/sheet3.xml"]) ?? Data(), as: UTF8.self)
        #expect(third.contains(#"<row r="1"><c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">event_id</t>"#))
        #expect(third.contains(#"<c r="A3"><v>8</v></c>"#))
    }

    @Test func manifestBesideTheExport() throws {
        let path = try temporaryDirectory() + "/monthly.csv"
        let summary = try exporter.export(table: .gridMonthly, format: .csv, to: path,
                                          options: options(ExportFilter(district: "320116", source: "petition")))
        #expect(summary.manifestPath == path + ".manifest.json")
        let m = summary.manifest
        #expect(m.table == "grid_monthly" && m.format == "csv" && m.encoding == "utf-8" && m.headers == "en" && m.pii == "masked")
        #expect(m.file == "monthly.csv" && m.rows == 2 && m.bytes == summary.bytes)
        #expect(m.filters == ["district": "320116", "source": "petition"])
        #expect(m.filtersApplied == ["district", "source"])
        #expect(m.options["level"] == "grid")
        #expect(m.options["red"] == "closure_rate>=0.95, satisfied_share>=0.9, repeat_share<=0.1")
        #expect(m.schemaMigrations == ["v1 reference, core and operations tables", "v2 source_file header for reject replay", "v3 incident evidence",
                                     "v4 change log and origin id for publish"])
        #expect(m.keyFingerprint == Sample.key.fingerprint && m.warehouseMeta["schema_version"] == "1")
        #expect(m.mappings.map { "\($0.feed)=\($0.mappingHash)" } == ["hotline12345=map-hotline-1", "patrol=map-patrol-1", "petition=map-petition-1"])
        #expect(m.exportedAt == "2020-07-02T08:30:00+08:00")
        let decoded = try JSONDecoder().decode(ExportManifest.self, from: Data(contentsOf: URL(fileURLWithPath: summary.manifestPath)))
        #expect(decoded == m)
        let alerts = try exporter.export(table: .alerts, format: .jsonl, to: path + ".jsonl", options: options())
        #expect(alerts.manifest.options["asOf"] == "2020-07-01T00:00:00+08:00")
        #expect(alerts.manifest.options["overdueDays"] == "citymgmt=7, hotline12345=15, patrol=7, petition=60, other=30")
    }

    @Test func libreOfficeReadsTheWorkbookBack() throws {
        let office = ["/usr/bin/libreoffice", "/usr/bin/soffice", "/usr/local/bin/libreoffice", "/usr/local/bin/soffice"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let office else {
            print("SKIPPED libreOfficeReadsTheWorkbookBack: LibreOffice is not installed (apt-get install libreoffice-calc to run it)")
            return
        }
        let dir = try temporaryDirectory()
        try exporter.export(table: .events, format: .xlsx, to: dir + "/events.xlsx", options: options())
        try exporter.export(table: .events, format: .csv, to: dir + "/expected.csv", options: options())
        _ = try run(office, ["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                             "--outdir", dir + "/lo", dir + "/events.xlsx"])
        // With the all-sheets option (-1) LibreOffice names the file <book>-<sheet>.csv.
        let produced = try FileManager.default.contentsOfDirectory(atPath: dir + "/lo").filter { $0.hasSuffix(".csv") }
        #expect(produced == ["events-events.csv"])
        let back = String(decoding: try bytes(dir + "/lo/" + (produced.first ?? "events.csv")), as: UTF8.self)
        let expected = String(decoding: try bytes(dir + "/expected.csv").dropFirst(3), as: UTF8.self)
        func cells(_ s: String) -> [String] {
            s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\"", with: "")
                .split(whereSeparator: { $0 == "\n" || $0 == "," }).map(String.init)
        }
        #expect(cells(back) == cells(expected))
    }
}
