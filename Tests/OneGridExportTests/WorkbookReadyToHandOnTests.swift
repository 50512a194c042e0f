import Foundation
import Testing
import OneGridExport
import OneGridModel

/// XLSX ready to hand on: autofilter, fitted widths, rates as percentages, grades filled,
/// Chinese level names under Chinese headers, pages one wide.
@Suite struct WorkbookReadyToHandOnTests {
    func part(_ path: String, _ entry: String) throws -> String {
        String(decoding: try run("/usr/bin/unzip", ["-p", path, entry]) ?? Data(), as: UTF8.self)
    }

    func gridMonthly(headers: HeaderLanguage) throws -> (sheet: String, workbook: String, styles: String) {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/m.xlsx"
        try Exporter(warehouse: try Sample.warehouse()).export(table: .gridMonthly, format: .xlsx, to: path,
                                                              options: options(headers: headers))
        #expect(try run("/usr/bin/unzip", ["-tq", path]).map { String(decoding: $0, as: UTF8.self).hasPrefix("No errors") } == true)
        return (try part(path, "xl/worksheets/sheet1.xml"), try part(path, "xl/workbook.xml"), try part(path, "xl/styles.xml"))
    }

    @Test func autofilterOnTheHeaderOverEveryRow() throws {
        let (sheet, workbook, _) = try gridMonthly(headers: .zh)
        // 25 columns (A…Y), header and 4 rows.
        #expect(sheet.contains(#"</sheetData><autoFilter ref="A1:Y5"/>"#))
        #expect(workbook.contains(#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">&apos;grid_monthly&apos;!$A$1:$Y$5</definedName>"#))
    }

    @Test func ratesArePercentagesAndGradesAreFilled() throws {
        let (sheet, _, styles) = try gridMonthly(headers: .en)
        // Row 3 is 杉湖路社区第一网格 June: grade (E) 黄, closure rate (F) 0.5, satisfied share (G) 1, repeat share (H) 0.
        #expect(sheet.contains(#"<c r="E3" s="6" t="inlineStr"><is><t xml:space="preserve">黄</t></is></c>"#))
        #expect(sheet.contains(#"<c r="F3" s="3"><v>0.5</v></c>"#))
        #expect(sheet.contains(#"<c r="G3" s="3"><v>1</v></c>"#))
        #expect(sheet.contains(#"<c r="H3" s="3"><v>0</v></c>"#))
        #expect(sheet.contains(#"<c r="E5" s="4" t="inlineStr"><is><t xml:space="preserve">红</t></is></c>"#))
        // Counts stay plain numbers (events, column I).
        #expect(sheet.contains(#"<c r="I3"><v>2</v></c>"#))
        #expect(styles.contains(#"<numFmt numFmtId="165" formatCode="0.0%"/>"#))
        #expect(styles.contains(#"<fgColor rgb="FFD7301F"/>"#) && styles.contains(#"<fgColor rgb="FF2C7FB8"/>"#)
                && styles.contains(#"<fgColor rgb="FFF2B705"/>"#))
    }

    @Test func chineseLevelNamesUnderChineseHeaders() throws {
        let zh = try gridMonthly(headers: .zh).sheet
        #expect(zh.contains(#"<c r="A2" t="inlineStr"><is><t xml:space="preserve">网格</t></is></c>"#))
        let en = try gridMonthly(headers: .en).sheet
        #expect(en.contains(#"<c r="A2" t="inlineStr"><is><t xml:space="preserve">grid</t></is></c>"#))
    }

    @Test func widthsFitTheContentAndPagesPrintOneWide() throws {
        let sheet = try gridMonthly(headers: .zh).sheet
        // B: 单位编码 (8 cells) vs 320116001003002 (15) → 18; C: 桥西社区第一网格 / 杉湖路社区第一网格 (18) → 21.
        #expect(sheet.contains(#"<col min="2" max="2" width="18" customWidth="1"/>"#))
        #expect(sheet.contains(#"<col min="3" max="3" width="21" customWidth="1"/>"#))
        #expect(sheet.contains(#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#))
        #expect(sheet.contains(#"<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>"#))
        // The order Excel requires: sheetPr, sheetViews, sheetFormatPr, cols, sheetData, autoFilter, pageMargins, pageSetup.
        let order = ["<sheetPr>", "<sheetViews>", "<sheetFormatPr", "<cols>", "<sheetData>", "<autoFilter", "<pageMargins", "<pageSetup"]
        let positions = order.map { sheet.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func theGradeAndItsFiguresComeFirst() throws {
        let sheet = try gridMonthly(headers: .en).sheet
        let lead = ["level", "unit_code", "unit_name", "month", "assessment", "closure_rate", "satisfied_share", "repeat_share", "events"]
        for (i, name) in lead.enumerated() {
            #expect(sheet.contains(#"<c r="\#(XLSXColumn.name(i))1" s="1" t="inlineStr"><is><t xml:space="preserve">\#(name)</t></is></c>"#))
        }
    }

    @Test func codesAreText() throws {
        let sheet = try gridMonthly(headers: .en).sheet
        #expect(sheet.contains(#"<c r="B3" t="inlineStr"><is><t xml:space="preserve">320113005001001</t></is></c>"#))
    }

    @Test func widthsOfAWideCharacterCountDouble() {
        #expect(XLSXTableWriter.displayWidth("abc") == 3)
        #expect(XLSXTableWriter.displayWidth("桥西社区") == 8)
        #expect(XLSXTableWriter.displayWidth("仙林街道, \"综治办\"\n二科") == 18)
    }
}

enum XLSXColumn {
    static func name(_ i: Int) -> String { String(UnicodeScalar(UInt8(65 + i))) }
}
