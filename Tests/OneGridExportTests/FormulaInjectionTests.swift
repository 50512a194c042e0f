import Foundation
import Testing
@testable import OneGridExport

/// CSV exports are opened in Excel: a text cell that would run as a formula gets a leading
/// `'` (OWASP's CSV injection rule); plain numbers keep their sign.
@Suite struct FormulaInjectionTests {
    /// A text cell, and the field the CSV holds for it.
    static let cells: [(String, String)] = [
        ("=HYPERLINK(\"http://x\",\"点我\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""),
        ("=1+1", "'=1+1"),
        ("=", "'="),
        ("+1+2", "'+1+2"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\"'\r=1\""),
        ("-", "'-"),
        ("--1", "'--1"),
        ("-12.5%", "'-12.5%"),
        ("-1.2.3", "'-1.2.3"),
        ("-1e", "'-1e"),
        ("+86 139 **** 5678", "'+86 139 **** 5678"),
        // Plain numbers keep their sign.
        ("-12.5", "-12.5"),
        ("+86", "+86"),
        ("-0.5", "-0.5"),
        ("-.5", "-.5"),
        ("-1e5", "-1e5"),
        ("+2.5E-3", "+2.5E-3"),
        // Not at the start, or not a formula character: unchanged.
        ("1-2", "1-2"),
        ("a=b", "a=b"),
        (" =1", "\" =1\""),
        ("＝1+1", "＝1+1"),
        ("仙林街道综治办", "仙林街道综治办"),
        ("", ""),
    ]

    func written(_ row: [ExportValue], neutralizesFormulas: Bool = true) throws -> String {
        let path = try temporaryDirectory() + "/cells.csv"
        let writer = try CSVTableWriter(path: path, bom: false, neutralizesFormulas: neutralizesFormulas)
        try writer.begin(columns: row.indices.map { "c\($0)" })
        try writer.write(row: row)
        _ = try writer.finish()
        // Bytes, not Characters: CR LF is one Character.
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let header = Array("\(row.indices.map { "c\($0)" }.joined(separator: ","))\r\n".utf8)
        #expect(Array(bytes.prefix(header.count)) == header)
        return String(decoding: bytes[header.count...].dropLast(2), as: UTF8.self)
    }

    func writtenAsBlock(_ row: [ExportValue], neutralizesFormulas: Bool = true) throws -> String {
        let path = try temporaryDirectory() + "/cells.csv"
        let writer = try CSVTableWriter(path: path, bom: false, neutralizesFormulas: neutralizesFormulas)
        var block = RowBlock(columns: row.count)
        for value in row { block.append(value) }
        try writer.write(block: block)
        _ = try writer.finish()
        return String(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: path))).dropLast(2), as: UTF8.self)
    }

    @Test("a text cell that would run as a formula gets a leading quote", arguments: cells)
    func neutralised(cell: String, field: String) throws {
        let csv = try written([.text(cell)])
        #expect(csv == field)
    }

    @Test("rows rendered from a block's bytes are neutralised the same way", arguments: cells)
    func neutralisedInBlocks(cell: String, field: String) throws {
        let csv = try writtenAsBlock([.text(cell)])
        #expect(csv == field)
    }

    @Test("numbers and times are never given a quote")
    func typedValuesKeepTheirSign() throws {
        let row: [ExportValue] = [.integer(-12), .real(-0.25), .integer(7), .null]
        #expect(try written(row) == "-12,-0.25,7,")
        #expect(try writtenAsBlock(row) == "-12,-0.25,7,")
    }

    @Test("machine consumers can turn it off and get the cells as they are")
    func off() throws {
        let row: [ExportValue] = [.text("=1+1"), .text("@x"), .text("-2+3")]
        #expect(try written(row, neutralizesFormulas: false) == "=1+1,@x,-2+3")
        #expect(try writtenAsBlock(row, neutralizesFormulas: false) == "=1+1,@x,-2+3")
    }

    @Test("a handling unit holding a formula is neutralised in the events export")
    func exportedEvents() throws {
        let warehouse = try Sample.warehouse()
        try warehouse.write { db in
            try db.execute(sql: "UPDATE event SET handling_unit = '=HYPERLINK(\"http://x\",\"点我\")' WHERE id = 1")
        }
        let path = try temporaryDirectory() + "/events.csv"
        var o = options()
        o.bom = false
        try Exporter(warehouse: warehouse).export(table: .events, format: .csv, to: path, options: o)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        #expect(text.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\","))
        #expect(!text.contains(",=HYPERLINK"))
    }
}
