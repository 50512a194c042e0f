/// JSON Lines: one object per row keyed by the headers, in column order, LF-terminated,
/// UTF-8 without BOM. Timestamps are ISO 8601 in Beijing time (`2020-06-23T14:05:31+08:00`),
/// nulls JSON `null`, numbers JSON numbers.
public final class JSONLinesTableWriter: TableWriter {
    private let file: OutputFile
    private var keys: [[UInt8]] = []
    private var pending: [UInt8] = []

    public init(path: String, permissions: OutputPermissions = .ownerOnly) throws {
        file = try OutputFile(path: path, permissions: permissions)
        pending.reserveCapacity(1 << 16 + 4096)
    }

    public func begin(columns: [String]) throws {
        keys = columns.map { key in
            var out: [UInt8] = []
            Self.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            return out
        }
    }

    public func write(row: [ExportValue]) throws {
        pending.append(UInt8(ascii: "{"))
        for (i, value) in row.enumerated() {
            if i > 0 { pending.append(UInt8(ascii: ",")) }
            pending.append(contentsOf: keys[i])
            switch value {
            case .text(let s): Self.appendString(s, to: &pending)
            case .integer(let n): pending.append(contentsOf: String(n).utf8)
            case .real(let d): pending.append(contentsOf: ExportValue.format(d).utf8)
            case .timestamp(let t): Self.appendString(t.iso8601, to: &pending)
            case .null: pending.append(contentsOf: "null".utf8)
            }
        }
        pending.append(UInt8(ascii: "}"))
        pending.append(10)
        if pending.count >= 1 << 16 {
            try file.write(pending)
            pending.removeAll(keepingCapacity: true)
        }
    }

    public func finish() throws -> Int64 {
        if !pending.isEmpty { try file.write(pending) }
        try file.close()
        return file.bytes
    }

    public func discard() {
        file.discard()
    }

    public var sha256: String? { file.sha256 }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\u001f`…
    static func appendString(_ s: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(34)
        for byte in s.utf8 {
            switch byte {
            case 34: out.append(92); out.append(34)
            case 92: out.append(92); out.append(92)
            case 10: out.append(92); out.append(UInt8(ascii: "n"))
            case 13: out.append(92); out.append(UInt8(ascii: "r"))
            case 9: out.append(92); out.append(UInt8(ascii: "t"))
            case 0..<32:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(34)
    }
}
