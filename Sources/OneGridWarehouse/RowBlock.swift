import OneGridModel

/// A run of exported rows held as cells over one byte arena: text cells are ranges of UTF-8
/// bytes, numbers and times are stored inline. A table that fills blocks instead of
/// `[ExportValue]` rows allocates nothing per cell, and a block is `Sendable`, so the rows
/// can be rendered on another thread than the one reading the database.
public struct RowBlock: Sendable {
    /// What a cell holds; the same cases as `ExportValue`.
    public enum Kind: UInt8, Sendable {
        case text, integer, real, timestamp, null
    }

    /// One cell: `text` is `bytes[a..<b]`; `integer` and `timestamp` (Unix seconds) are `a`;
    /// `real` is the bit pattern of a `Double` in `a`.
    public struct Cell: Sendable {
        public var kind: Kind
        public var a: Int
        public var b: Int

        @inlinable
        public init(kind: Kind, a: Int, b: Int) {
            self.kind = kind
            self.a = a
            self.b = b
        }
    }

    public let columns: Int
    // Stored as `@usableFromInline` so that the appends inline into the readers and
    // writers of other modules (the export fast path appends a million rows a second).
    @usableFromInline var byteStore: [UInt8] = []
    @usableFromInline var cellStore: [Cell] = []

    /// The arena the text cells point into.
    @inlinable public var bytes: [UInt8] { byteStore }
    /// The cells, row after row.
    @inlinable public var cells: [Cell] { cellStore }

    public init(columns: Int, capacity: Int = 0) {
        self.columns = columns
        cellStore.reserveCapacity(columns * capacity)
        byteStore.reserveCapacity(capacity * 512)
    }

    @inlinable public var rowCount: Int { cellStore.count / columns }

    /// Empties the block and keeps its storage, for the next run of rows.
    @inlinable
    public mutating func removeAll() {
        byteStore.removeAll(keepingCapacity: true)
        cellStore.removeAll(keepingCapacity: true)
    }

    @inlinable
    public mutating func appendNull() { cellStore.append(Cell(kind: .null, a: 0, b: 0)) }

    @inlinable
    public mutating func appendInteger(_ value: Int64) { cellStore.append(Cell(kind: .integer, a: Int(value), b: 0)) }

    @inlinable
    public mutating func appendInteger(_ value: Int64?) {
        if let value { appendInteger(value) } else { appendNull() }
    }

    /// A timestamp of Unix seconds, or null.
    @inlinable
    public mutating func appendTimestamp(_ seconds: Int64?) {
        if let seconds { cellStore.append(Cell(kind: .timestamp, a: Int(seconds), b: 0)) } else { appendNull() }
    }

    @inlinable
    public mutating func appendReal(_ value: Double) {
        cellStore.append(Cell(kind: .real, a: Int(Int64(bitPattern: value.bitPattern)), b: 0))
    }

    /// A text cell of `text`'s bytes; null when `text` is nil.
    @inlinable
    public mutating func appendText(_ text: UnsafeBufferPointer<UInt8>?) {
        guard let text else { return appendNull() }
        let start = byteStore.count
        byteStore.append(contentsOf: text)
        cellStore.append(Cell(kind: .text, a: start, b: byteStore.count))
    }

    @inlinable
    public mutating func appendText(_ text: [UInt8]) {
        let start = byteStore.count
        byteStore.append(contentsOf: text)
        cellStore.append(Cell(kind: .text, a: start, b: byteStore.count))
    }

    @inlinable
    public mutating func appendText(_ text: String) {
        let start = byteStore.count
        byteStore.append(contentsOf: text.utf8)
        cellStore.append(Cell(kind: .text, a: start, b: byteStore.count))
    }

    /// A copy of `cell` of another block whose bytes are `bytes`.
    @inlinable @inline(__always)
    public mutating func append(_ cell: Cell, from bytes: UnsafeBufferPointer<UInt8>) {
        guard cell.kind == .text else { return cellStore.append(cell) }
        appendText(UnsafeBufferPointer(rebasing: bytes[cell.a..<cell.b]))
    }
}
