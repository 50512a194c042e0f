import OneGridCodecs

/// CSV per RFC 4180: CRLF line ends; a field is quoted when it holds a comma, a quote,
/// CR or LF (quotes doubled inside), or starts or ends with a space. UTF-8 with a BOM by
/// default (so Excel opens Chinese correctly); GB18030 without BOM for older tools.
/// Timestamps are Beijing wall-clock text (`2020-06-23 14:05:31`), nulls empty fields.
///
/// Text cells a spreadsheet would run as a formula (OWASP's CSV injection rule: a first
/// character `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`, so Excel and
/// LibreOffice show them as text instead of running them; a cell that is a plain number
/// (`-12.5`, `+86`) keeps its sign. `neutralizesFormulas: false` turns this off for machine consumers, which
/// would read the `'` as part of the value.
public final class CSVTableWriter: TableWriter {
    private let file: OutputFile
    private let encoding: TextEncoding
    private let bom: Bool
    private let neutralizesFormulas: Bool
    private let transcoder: Transcoder?
    /// UTF-8 rows waiting to be transcoded and written, cut at row ends only.
    fileprivate var pending: [UInt8] = []
    fileprivate var time = BeijingTimeText()
    /// As large as `FileByteSink`'s buffer, so each flush goes to the file without a copy.
    private static let flushSize = 1 << 18

    /// Writes `path` through an `OutputFile`: nothing appears there until `finish()`, which
    /// replaces what was there whole. `bom` only applies to UTF-8.
    public init(path: String, encoding: TextEncoding = .utf8, bom: Bool = true,
                permissions: OutputPermissions = .ownerOnly, neutralizesFormulas: Bool = true) throws {
        file = try OutputFile(path: path, permissions: permissions)
        self.encoding = encoding
        self.bom = bom && encoding == .utf8
        self.neutralizesFormulas = neutralizesFormulas
        transcoder = encoding == .utf8 ? nil : Transcoder(from: .utf8, to: encoding)
        pending.reserveCapacity(Self.flushSize + 4096)
    }

    public func begin(columns: [String]) throws {
        if bom { try file.write([0xEF, 0xBB, 0xBF]) }
        try append(columns.map(ExportValue.text))
    }

    /// Drops the output: nothing appears at the path (a failed export calls this, or just
    /// lets go of the writer).
    public func discard() {
        file.discard()
    }

    /// SHA-256 of the file's bytes, once `finish()` has put it in place: for the manifest.
    public var sha256: String? { file.sha256 }

    public func write(row: [ExportValue]) throws {
        try append(row)
    }

    public func finish() throws -> Int64 {
        try flush()
        try file.close()
        return file.bytes
    }

    private func append(_ row: [ExportValue]) throws {
        for (i, value) in row.enumerated() {
            if i > 0 { pending.append(UInt8(ascii: ",")) }
            if case .text(let text) = value {
                Self.appendField(text, neutralizingFormulas: neutralizesFormulas, to: &pending)
            } else {
                Self.appendField(value.plainText, to: &pending)
            }
        }
        pending.append(13)
        pending.append(10)
        if pending.count >= Self.flushSize { try flush() }
    }

    fileprivate func flush() throws {
        guard !pending.isEmpty else { return }
        if let transcoder {
            do {
                try file.write(try transcoder.convert(pending))
            } catch let error as TranscodeError {
                throw ExportError.io(path: file.path, message: "a value has no \(encoding.rawValue) form (byte \(error.offset) of a buffered block); use UTF-8")
            }
        } else {
            try file.write(pending)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Appends one field, quoted when RFC 4180 requires it.
    static func appendField(_ text: String, neutralizingFormulas: Bool = false, to out: inout [UInt8]) {
        appendField(text.utf8, neutralizingFormulas: neutralizingFormulas, to: &out)
    }

    /// Whether a spreadsheet would take a text cell for a formula: it starts with `=`, `+`,
    /// `-`, `@`, tab or CR and is not a plain number (`-12.5`, `+86`, `-1e5`), which
    /// spreadsheets read as the number it is.
    static func looksLikeFormula<Bytes: Collection<UInt8>>(_ utf8: Bytes) -> Bool {
        guard let first = utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isPlainNumber(utf8.dropFirst())
        default: return false
        }
    }

    /// Digits with at most one decimal point and at least one digit, then optionally an
    /// exponent (`e`, a sign, digits): the unsigned part of a number a spreadsheet reads.
    static func isPlainNumber<Bytes: Collection<UInt8>>(_ utf8: Bytes) -> Bool {
        var digits = 0, points = 0
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            if b &- 0x30 < 10 { digits += 1 }
            else if b == UInt8(ascii: ".") { points += 1 }
            else { break }
            i = utf8.index(after: i)
        }
        guard digits > 0, points <= 1 else { return false }
        guard i != utf8.endIndex else { return true }
        guard utf8[i] | 0x20 == UInt8(ascii: "e") else { return false }
        i = utf8.index(after: i)
        if i != utf8.endIndex, utf8[i] == UInt8(ascii: "+") || utf8[i] == UInt8(ascii: "-") { i = utf8.index(after: i) }
        var exponentDigits = 0
        while i != utf8.endIndex {
            guard utf8[i] &- 0x30 < 10 else { return false }
            exponentDigits += 1
            i = utf8.index(after: i)
        }
        return exponentDigits > 0
    }

    /// Appends one field of UTF-8 bytes, quoted when RFC 4180 requires it, with a leading
    /// `'` when it would otherwise run as a formula and `neutralizingFormulas` is on.
    static func appendField<Bytes: Collection<UInt8>>(_ utf8: Bytes, neutralizingFormulas: Bool = false, to out: inout [UInt8]) {
        let guardMark = neutralizingFormulas && looksLikeFormula(utf8)
        var needsQuotes = false
        for byte in utf8 where byte == 44 || byte == 34 || byte == 10 || byte == 13 {
            needsQuotes = true
            break
        }
        if !needsQuotes, let first = utf8.first, first == 32 || utf8[utf8.index(utf8.endIndex, offsetBy: -1)] == 32 {
            needsQuotes = true
        }
        guard needsQuotes else {
            if guardMark { out.append(UInt8(ascii: "'")) }
            out.append(contentsOf: utf8)
            return
        }
        out.append(34)
        if guardMark { out.append(UInt8(ascii: "'")) }
        for byte in utf8 {
            if byte == 34 { out.append(34) }
            out.append(byte)
        }
        out.append(34)
    }
}

extension CSVTableWriter: RowBlockWriter {
    func write(block: borrowing RowBlock) throws {
        // Local copies: appending to the stored properties would check exclusive access
        // on every byte.
        var out = pending
        pending = []
        var time = self.time
        let columns = block.columns
        let neutralizesFormulas = self.neutralizesFormulas
        block.bytes.withUnsafeBufferPointer { bytes in
            block.cells.withUnsafeBufferPointer { cells in
                var i = 0
                for _ in 0..<block.rowCount {
                    for column in 0..<columns {
                        if column > 0 { out.append(UInt8(ascii: ",")) }
                        let cell = cells[i]
                        i += 1
                        switch cell.kind {
                        case .text: Self.appendField(UnsafeBufferPointer(rebasing: bytes[cell.a..<cell.b]),
                                                     neutralizingFormulas: neutralizesFormulas, to: &out)
                        case .integer: appendDecimal(Int64(cell.a), to: &out)
                        case .real: out.append(contentsOf: ExportValue.format(RowBlock.real(cell)).utf8)
                        case .timestamp: time.append(Int64(cell.a), to: &out)
                        case .null: break
                        }
                    }
                    out.append(13)
                    out.append(10)
                }
            }
        }
        pending = out
        self.time = time
        if pending.count >= Self.flushSize { try flush() }
    }
}
