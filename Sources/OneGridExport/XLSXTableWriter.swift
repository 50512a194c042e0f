import OneGridModel

/// An Office Open XML workbook (`.xlsx`) holding one table, streamed to disk: the sheet
/// XML is deflated into its zip entry as rows arrive, so a million rows never sit in
/// memory. The header row is bold and frozen (a pane split below row 1); timestamps are
/// date serials in Beijing time with a `yyyy-mm-dd hh:mm:ss` style; integers and reals are
/// numeric cells; text is inline strings; nulls are absent cells. A table longer than
/// one sheet's 1,048,576 rows continues on sheets named `name (2)`, `name (3)`…, each with
/// the header repeated.
///
/// Ready to hand on: an autofilter on the header; column widths fitted to the header and
/// the first `widthSampleRows` rows (CJK characters count double), held back until then;
/// `columnFormats` shows rates as percentages and fills 红 / 蓝 / 黄 grades in their
/// colours; pages print landscape, one page wide.
public final class XLSXTableWriter: TableWriter {
    /// How a column's cells are shown.
    public enum ColumnFormat: Sendable, Hashable {
        case plain
        /// A share between 0 and 1, shown as `0.0%`.
        case percent
        /// 红 / 蓝 / 黄 filled in their colours.
        case grade
    }

    /// Per column, in order; missing entries are `.plain`. Set before `begin`.
    public var columnFormats: [ColumnFormat] = []
    /// Rows looked at for the column widths (the sheet is held back until then).
    public static let widthSampleRows = 200
    private var widths: [Int] = []
    private var settled = false
    private let zip: ZipWriter
    private let sheetName: String
    private var headers: [String] = []
    private var columnLetters: [[UInt8]] = []
    private var sheetCount = 0
    private var rowInSheet = 0
    private var buffer: [UInt8] = []
    private let maxRowsPerSheet: Int

    /// Style indexes in `styles.xml`.
    static let headerStyle = 1
    static let dateStyle = 2
    /// Excel's serial of 1970-01-01 (in the 1900 date system).
    static let unixEpochSerial = 25_569.0

    /// Writes `path` through an `OutputFile` (it appears, whole, on `finish()`);
    /// `sheetName` is cut to Excel's 31 characters. `modified` stamps the zip entries
    /// (Beijing wall clock).
    public init(path: String, sheetName: String, modified: Timestamp = Timestamp(seconds: 0),
                maxRowsPerSheet: Int = 1_048_576, permissions: OutputPermissions = .ownerOnly) throws {
        let text = modified.beijingText
        func part(_ from: Int, _ length: Int) -> Int {
            Int(text.dropFirst(from).prefix(length)) ?? 0
        }
        zip = try ZipWriter(path: path, modified: (part(0, 4), part(5, 2), part(8, 2), part(11, 2), part(14, 2), part(17, 2)),
                            permissions: permissions)
        let cleaned = sheetName.filter { !"[]:*?/\\".contains($0) }
        self.sheetName = String(cleaned.prefix(24)).isEmpty ? "Sheet" : String(cleaned.prefix(24))
        self.maxRowsPerSheet = max(2, maxRowsPerSheet)
        buffer.reserveCapacity(1 << 16 + 4096)
    }

    public func begin(columns: [String]) throws {
        headers = columns
        columnLetters = (0..<columns.count).map { Array(Self.columnName($0).utf8) }
        widths = columns.map(Self.displayWidth)
        try startSheet()
    }

    public func write(row: [ExportValue]) throws {
        if rowInSheet >= maxRowsPerSheet {
            try endSheet()
            try startSheet()
        }
        try appendRow(row, style: nil)
    }

    public func finish() throws -> Int64 {
        try endSheet()
        try zip.addEntry("[Content_Types].xml", contentTypes())
        try zip.addEntry("_rels/.rels", Self.rootRels)
        try zip.addEntry("xl/workbook.xml", workbook())
        try zip.addEntry("xl/_rels/workbook.xml.rels", workbookRels())
        try zip.addEntry("xl/styles.xml", Self.styles)
        return try zip.finish()
    }

    public func discard() {
        zip.discard()
    }

    public var sha256: String? { zip.sha256 }

    // MARK: Sheets

    private func startSheet() throws {
        sheetCount += 1
        rowInSheet = 0
        try zip.beginEntry("xl/worksheets/sheet\(sheetCount).xml")
        try appendRow(headers.map(ExportValue.text), style: Self.headerStyle)
    }

    /// Writes the sheet's beginning (views, fitted column widths) before the rows held
    /// back so far; later sheets reuse the first sheet's widths.
    private func settle() throws {
        guard !settled else { return }
        settled = true
        var head = Array("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>\
        <sheetViews><sheetView workbookViewId="0"\(sheetCount == 1 ? " tabSelected=\"1\"" : "")>\
        <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
        <selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>\
        <sheetFormatPr defaultRowHeight="15"/>
        """.utf8)
        if !widths.isEmpty {
            head.append(contentsOf: "<cols>".utf8)
            for (i, w) in widths.enumerated() {
                // Excel's width is in characters of the default font, plus padding for the filter button.
                let width = min(60, max(6, w + 3))
                head.append(contentsOf: "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(width)\" customWidth=\"1\"/>".utf8)
            }
            head.append(contentsOf: "</cols>".utf8)
        }
        head.append(contentsOf: "<sheetData>".utf8)
        try zip.write(head)
        try zip.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func endSheet() throws {
        try settle()
        let last = Self.columnName(max(0, headers.count - 1))
        buffer.append(contentsOf: "</sheetData><autoFilter ref=\"A1:\(last)\(max(1, rowInSheet))\"/>".utf8)
        buffer.append(contentsOf: "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.5\" bottom=\"0.5\" header=\"0.3\" footer=\"0.3\"/>".utf8)
        buffer.append(contentsOf: "<pageSetup orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/></worksheet>".utf8)
        try zip.write(buffer)
        buffer.removeAll(keepingCapacity: true)
        try zip.endEntry()
        filterRows.append(max(1, rowInSheet))
        settled = false
    }

    /// Rows (header included) of each finished sheet, for the filters' defined names.
    private var filterRows: [Int] = []

    /// Display width of a text in character cells, its longest line: East Asian wide
    /// characters count two.
    public static func displayWidth(_ s: String) -> Int {
        var n = 0
        var line = 0
        for scalar in s.unicodeScalars {
            if scalar == "\n" { n = max(n, line); line = 0; continue }
            line += scalar.value >= 0x1100 && (scalar.value <= 0x115F || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0xFE30...0xFE4F).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value)
                || (0xFFE0...0xFFE6).contains(scalar.value) || scalar.value >= 0x20000) ? 2 : 1
        }
        return max(n, line)
    }

    private func format(_ column: Int) -> ColumnFormat { column < columnFormats.count ? columnFormats[column] : .plain }

    private func appendRow(_ row: [ExportValue], style: Int?) throws {
        rowInSheet += 1
        let r = Array(String(rowInSheet).utf8)
        buffer.append(contentsOf: "<row r=\"".utf8)
        buffer.append(contentsOf: r)
        buffer.append(contentsOf: "\">".utf8)
        for (i, value) in row.enumerated() {
            if case .null = value { continue }
            buffer.append(contentsOf: "<c r=\"".utf8)
            buffer.append(contentsOf: columnLetters[i])
            buffer.append(contentsOf: r)
            buffer.append(34)
            if sheetCount == 1 && !settled && style == nil && i < widths.count {
                let shown: Int
                switch value {
                case .text(let s): shown = Self.displayWidth(s)
                case .timestamp: shown = 19
                case .real(let d): shown = format(i) == .percent ? 7 : ExportValue.format(d).utf8.count
                case .integer(let n): shown = String(n).utf8.count
                case .null: shown = 0
                }
                widths[i] = max(widths[i], shown)
            }
            var cellStyle = style
            if style == nil {
                switch (format(i), value) {
                case (.percent, .real), (.percent, .integer): cellStyle = Self.percentStyle
                case (.grade, .text(let g)): cellStyle = Self.gradeStyles[g]
                default: break
                }
            }
            if let cellStyle { buffer.append(contentsOf: " s=\"\(cellStyle)\"".utf8) }
            switch value {
            case .text(let s):
                buffer.append(contentsOf: " t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8)
                Self.appendEscaped(s, to: &buffer)
                buffer.append(contentsOf: "</t></is></c>".utf8)
            case .integer(let n):
                buffer.append(contentsOf: "><v>\(n)</v></c>".utf8)
            case .real(let d):
                buffer.append(contentsOf: "><v>\(ExportValue.format(d))</v></c>".utf8)
            case .timestamp(let t):
                buffer.append(contentsOf: " s=\"\(Self.dateStyle)\"><v>\(ExportValue.format(Self.serial(t)))</v></c>".utf8)
            case .null:
                break
            }
        }
        buffer.append(contentsOf: "</row>".utf8)
        if !settled && (rowInSheet > Self.widthSampleRows || sheetCount > 1) { try settle() }
        if settled && buffer.count >= 1 << 16 {
            try zip.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// The Excel date serial of a Beijing wall-clock time (days since 1899-12-30).
    static func serial(_ t: Timestamp) -> Double {
        let local = t.seconds + 8 * 3600
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        return unixEpochSerial + Double(days) + Double(seconds) / 86_400
    }

    /// `A`, `B`, … `Z`, `AA`, … for a 0-based column index.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(Character(UnicodeScalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    /// XML text content: `&`, `<`, `>` escaped (and `"`, `'` in an attribute value); control
    /// characters XML 1.0 forbids dropped.
    static func appendEscaped(_ s: String, to out: inout [UInt8], attribute: Bool = false) {
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where attribute: out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'") where attribute: out.append(contentsOf: "&apos;".utf8)
            case 9, 10, 13: out.append(byte)
            case 0..<32: continue
            default: out.append(byte)
            }
        }
    }

    /// An attribute value (a sheet name) escaped whole: escaping byte by byte through a
    /// `String` each would have turned every byte of a Chinese name into U+FFFD.
    static func escapeAttribute(_ s: String) -> String {
        var out: [UInt8] = []
        appendEscaped(s, to: &out, attribute: true)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Package parts

    private func name(ofSheet index: Int) -> String {
        index == 1 ? sheetName : "\(sheetName) (\(index))"
    }

    private func contentTypes() -> String {
        var sheets = ""
        for i in 1...sheetCount {
            sheets += "<Override PartName=\"/xl/worksheets/sheet\(i).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        \(sheets)</Types>
        """
    }

    static let rootRels = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    </Relationships>
    """

    private func workbook() -> String {
        var sheets = ""
        for i in 1...sheetCount {
            sheets += "<sheet name=\"\(Self.escapeAttribute(name(ofSheet: i)))\" sheetId=\"\(i)\" r:id=\"rId\(i)\"/>"
        }
        // Excel and LibreOffice find each sheet's autofilter range by this hidden name.
        var names = ""
        let last = Self.columnName(max(0, headers.count - 1))
        for i in 1...sheetCount {
            let quoted = "'" + name(ofSheet: i).replacingOccurrences(of: "'", with: "''") + "'"
            let rows = i <= filterRows.count ? filterRows[i - 1] : 1
            names += "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(i - 1)\" hidden=\"1\">"
                + Self.escapeAttribute(quoted) + "!$A$1:$\(last)$\(rows)</definedName>"
        }
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>\
        <sheets>\(sheets)</sheets><definedNames>\(names)</definedNames></workbook>
        """
    }

    private func workbookRels() -> String {
        var rels = ""
        for i in 1...sheetCount {
            rels += "<Relationship Id=\"rId\(i)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i).xml\"/>"
        }
        rels += "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)</Relationships>
        """
    }

    /// Style indexes of the percent and grade formats in `styles.xml`.
    static let percentStyle = 3
    static let gradeStyles = ["红": 4, "蓝": 5, "黄": 6]

    /// Cell formats: 0 default, 1 bold header, 2 date-time (custom format 164), 3 percent
    /// with one decimal (custom format 165), 4–6 the 红 / 蓝 / 黄 fills (report colours).
    static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts>\
    <fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>\
    <font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/></font></fonts>\
    <fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
    <fill><patternFill patternType="solid"><fgColor rgb="FFD7301F"/><bgColor indexed="64"/></patternFill></fill>\
    <fill><patternFill patternType="solid"><fgColor rgb="FF2C7FB8"/><bgColor indexed="64"/></patternFill></fill>\
    <fill><patternFill patternType="solid"><fgColor rgb="FFF2B705"/><bgColor indexed="64"/></patternFill></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
    <xf numFmtId="0" fontId="2" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
    <xf numFmtId="0" fontId="1" fillId="4" borderId="0" xfId="0" applyFont="1" applyFill="1"/></cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """
}
