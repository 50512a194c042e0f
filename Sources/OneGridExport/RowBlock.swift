import OneGridModel

/// A run of exported rows held as cells over one byte arena: text cells are ranges of UTF-8
/// bytes, numbers and times are stored inline. A table that fills blocks instead of
/// `[ExportValue]` rows allocates nothing per cell, and a block is `Sendable`, so the rows
/// can be rendered on another thread than the one reading the database.
struct RowBlock: Sendable {
    /// What a cell holds; the same cases as `ExportValue`.
    enum Kind: UInt8, Sendable {
        case text, integer, real, timestamp, null
    }

    /// One cell: `text` is `bytes[a..<b]`; `integer` and `timestamp` (Unix seconds) are `a`;
    /// `real` is the bit pattern of a `Double` in `a`.
    struct Cell: Sendable {
        var kind: Kind
        var a: Int
        var b: Int
    }

    let columns: Int
    private(set) var bytes: [UInt8] = []
    private(set) var cells: [Cell] = []

    init(columns: Int, capacity: Int = 0) {
        self.columns = columns
        cells.reserveCapacity(columns * capacity)
        bytes.reserveCapacity(capacity * 512)
    }

    var rowCount: Int { cells.count / columns }

    /// Empties the block and keeps its storage, for the next run of rows.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
    }

    mutating func appendNull() { cells.append(Cell(kind: .null, a: 0, b: 0)) }

    mutating func appendInteger(_ value: Int64) { cells.append(Cell(kind: .integer, a: Int(value), b: 0)) }

    mutating func appendInteger(_ value: Int64?) {
        if let value { appendInteger(value) } else { appendNull() }
    }

    /// A timestamp of Unix seconds, or null.
    mutating func appendTimestamp(_ seconds: Int64?) {
        if let seconds { cells.append(Cell(kind: .timestamp, a: Int(seconds), b: 0)) } else { appendNull() }
    }

    mutating func appendReal(_ value: Double) {
        cells.append(Cell(kind: .real, a: Int(Int64(bitPattern: value.bitPattern)), b: 0))
    }

    /// A text cell of `text`'s bytes; null when `text` is nil.
    mutating func appendText(_ text: UnsafeBufferPointer<UInt8>?) {
        guard let text else { return appendNull() }
        let start = bytes.count
        bytes.append(contentsOf: text)
        cells.append(Cell(kind: .text, a: start, b: bytes.count))
    }

    mutating func appendText(_ text: [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: text)
        cells.append(Cell(kind: .text, a: start, b: bytes.count))
    }

    mutating func appendText(_ text: String) {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        cells.append(Cell(kind: .text, a: start, b: bytes.count))
    }

    /// A copy of `cell` of another block whose bytes are `bytes`.
    @inline(__always)
    mutating func append(_ cell: Cell, from bytes: UnsafeBufferPointer<UInt8>) {
        guard cell.kind == .text else { return cells.append(cell) }
        appendText(UnsafeBufferPointer(rebasing: bytes[cell.a..<cell.b]))
    }

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
