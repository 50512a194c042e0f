import OneGridModel
import OneGridWarehouse

/// `RowBlock` cells as `ExportValue`s, for the tables and writers that work on values.
extension RowBlock {
    mutating func append(_ value: ExportValue) {
        switch value {
        case .text(let s): appendText(s)
        case .integer(let n): appendInteger(n)
        case .real(let d): appendReal(d)
        case .timestamp(let t): appendTimestamp(t.seconds)
        case .null: appendNull()
        }
    }

    /// The value of a cell, for writers and callers that work on `ExportValue`s.
    func value(_ cell: Cell) -> ExportValue {
        switch cell.kind {
        case .text: return .text(String(decoding: bytes[cell.a..<cell.b], as: UTF8.self))
        case .integer: return .integer(Int64(cell.a))
        case .real: return .real(Self.real(cell))
        case .timestamp: return .timestamp(Timestamp(seconds: Int64(cell.a)))
        case .null: return .null
        }
    }

    static func real(_ cell: Cell) -> Double { Double(bitPattern: UInt64(UInt(bitPattern: cell.a))) }

    /// Row `index` as values.
    func row(_ index: Int) -> [ExportValue] {
        cells[index * columns..<(index + 1) * columns].map(value)
    }
}

/// The Beijing wall-clock text of timestamps (`2020-06-23 14:05:31`, as
/// `Timestamp.beijingText`), appended as bytes; the date part is computed once per day seen
/// last, as the rows of an export mostly share a few days.
struct BeijingTimeText {
    private var day = Int64.min
    private var prefix: [UInt8] = []

    mutating func append(_ seconds: Int64, to out: inout [UInt8]) {
        let local = seconds &+ 8 * 3600
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        if days != day {
            // Everything before `HH:mm:ss` of the day's first second.
            prefix = Array(Timestamp(seconds: days * 86_400 - 8 * 3600).beijingText.utf8.dropLast(8))
            day = days
        }
        out.append(contentsOf: prefix)
        let secs = Int(local - days * 86_400)
        Self.appendTwo(secs / 3600, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendTwo(secs / 60 % 60, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendTwo(secs % 60, to: &out)
    }

    private static func appendTwo(_ n: Int, to out: inout [UInt8]) {
        out.append(UInt8(48 + n / 10))
        out.append(UInt8(48 + n % 10))
    }
}

/// Appends the decimal digits of `n`, as `String(n)` would.
func appendDecimal(_ n: Int64, to out: inout [UInt8]) {
    if n < 0 {
        // `String(n)` for the magnitude of Int64.min, too.
        out.append(contentsOf: String(n).utf8)
        return
    }
    if n < 10 {
        out.append(UInt8(48 + n))
        return
    }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var count = 0
    var v = UInt64(n)
    withUnsafeMutableBytes(of: &digits) { buffer in
        while v > 0 {
            buffer[23 - count] = UInt8(48 + v % 10)
            v /= 10
            count += 1
        }
        out.append(contentsOf: buffer[(24 - count)...])
    }
}
