import OneGridCodecs

/// CSV per RFC 4180: CRLF line ends; a field is quoted when it holds a comma, a quote,
/// CR or LF (quotes doubled inside), or starts or ends with a space. UTF-8 with a BOM by
/// default (so Excel opens Chinese correctly); GB18030 without BOM for older tools.
/// Timestamps are Beijing wall-clock text (`2020-06-23 14:05:31`), nulls empty fields.
public final class CSVTableWriter: TableWriter {
    private let file: OutputFile
    private let encoding: TextEncoding
    private let bom: Bool
    private let transcoder: Transcoder?
    /// UTF-8 rows waiting to be transcoded and written, cut at row ends only.
    fileprivate var pending: [UInt8] = []
    fileprivate var time = BeijingTimeText()
    /// As large as `FileByteSink`'s buffer, so each flush goes to the file without a copy.
    private static let flushSize = 1 << 18

    /// Creates (or truncates) `path`. `bom` only applies to UTF-8.
    public init(path: String, encoding: TextEncoding = .utf8, bom: Bool = true) throws {
        file = try OutputFile(path: path)
        self.encoding = encoding
        self.bom = bom && encoding == .utf8
        transcoder = encoding == .utf8 ? nil : Transcoder(from: .utf8, to: encoding)
        pending.reserveCapacity(Self.flushSize + 4096)
    }

    public func begin(columns: [String]) throws {
        if bom { try file.write([0xEF, 0xBB, 0xBF]) }
        try append(columns.map(ExportValue.text))
    }

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
            Self.appendField(value.plainText, to: &pending)
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
    static func appendField(_ text: String, to out: inout [UInt8]) {
        appendField(text.utf8, to: &out)
    }

    /// Appends one field of UTF-8 bytes, quoted when RFC 4180 requires it.
    static func appendField<Bytes: Collection<UInt8>>(_ utf8: Bytes, to out: inout [UInt8]) {
        var needsQuotes = false
        for byte in utf8 where byte == 44 || byte == 34 || byte == 10 || byte == 13 {
            needsQuotes = true
            break
        }
        if !needsQuotes, let first = utf8.first, first == 32 || utf8[utf8.index(utf8.endIndex, offsetBy: -1)] == 32 {
            needsQuotes = true
        }
        guard needsQuotes else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(34)
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
        block.bytes.withUnsafeBufferPointer { bytes in
            block.cells.withUnsafeBufferPointer { cells in
                var i = 0
                for _ in 0..<block.rowCount {
                    for column in 0..<columns {
                        if column > 0 { out.append(UInt8(ascii: ",")) }
                        let cell = cells[i]
                        i += 1
                        switch cell.kind {
                        case .text: Self.appendField(UnsafeBufferPointer(rebasing: bytes[cell.a..<cell.b]), to: &out)
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
