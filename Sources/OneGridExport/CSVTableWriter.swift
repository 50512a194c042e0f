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
    private var pending: [UInt8] = []
    private static let flushSize = 1 << 16

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

    private func flush() throws {
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
        let utf8 = text.utf8
        var needsQuotes = false
        for byte in utf8 where byte == 44 || byte == 34 || byte == 10 || byte == 13 {
            needsQuotes = true
            break
        }
        if !needsQuotes, let first = utf8.first, let last = utf8.last, first == 32 || last == 32 { needsQuotes = true }
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
