/// Bounds and choices of a Parquet writer. The defaults suit exports of a few million rows:
/// memory stays near `rowGroupBytes` whatever the table size.
public struct ParquetWriterOptions: Sendable {
    public var compression: ParquetCompression = .gzip(level: 6)
    /// A row group is flushed when it holds this many rows …
    public var rowGroupRows: Int = 1 << 20
    /// … or when its columns hold about this many bytes, uncompressed.
    public var rowGroupBytes: Int = 64 << 20
    /// A data page is cut at this many uncompressed value bytes …
    public var pageBytes: Int = 1 << 20
    /// … or this many values (nulls included).
    public var pageRows: Int = 20_000
    /// A string column's dictionary (PLAIN encoded) may grow to this many bytes per row
    /// group; past it the rest of the row group is PLAIN. 0 turns dictionaries off.
    public var dictionaryBytes: Int = 1 << 20
    /// Key-value pairs stored in the footer (the table name, the export's filters …).
    public var metadata: [(key: String, value: String)] = []

    public init() {}
}

/// What a finished Parquet file holds.
public struct ParquetFileSummary: Sendable, Hashable {
    public var rows: Int64
    public var rowGroups: Int
    public var bytes: Int64
}

/// Writes one Parquet file as rows arrive: `append` rows (one at a time or in batches),
/// then `finish`. Row groups are flushed to the sink as they fill, so memory holds one
/// row group's compressed pages, never the table.
///
/// Layout (parquet-format README): `PAR1`, then each row group's column chunks (a
/// dictionary page first for dictionary-encoded strings, then data pages v1: RLE
/// definition levels followed by the values), then the footer (`FileMetaData` in the
/// Thrift compact protocol), its 4-byte little-endian length, and `PAR1` again.
public final class ParquetWriter {
    public let schema: ParquetSchema
    public let options: ParquetWriterOptions
    private let sink: any ByteSink
    private var chunks: [ParquetColumnChunk]
    private var position: Int64 = 0
    private var rowGroups: [ThriftStruct] = []
    private var rowsInGroup = 0
    private var rows: Int64 = 0
    private var isFinished = false

    /// Starts a file on `sink` (the writer closes it in `finish`).
    public init(schema: ParquetSchema, sink: any ByteSink, options: ParquetWriterOptions = ParquetWriterOptions()) throws {
        self.schema = schema
        self.options = options
        self.sink = sink
        chunks = schema.columns.map { ParquetColumnChunk(column: $0, options: options) }
        try emit(Self.magic)
    }

    /// Creates (or truncates) the file at `path` and starts it.
    public convenience init(path: String, schema: ParquetSchema, options: ParquetWriterOptions = ParquetWriterOptions()) throws {
        try self.init(schema: schema, sink: try FileByteSink(path: path), options: options)
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    /// Rows appended so far.
    public var rowCount: Int64 { rows }

    /// Appends one row, one cell per column in schema order. A row that does not fit the
    /// schema is rejected whole: no cell of it is written.
    public func append(row: [ParquetValue]) throws {
        guard !isFinished else { throw ParquetError.finished }
        guard row.count == chunks.count else {
            throw ParquetError.rowWidth(row: rows, expected: chunks.count, found: row.count)
        }
        try check(row)
        for (chunk, value) in zip(chunks, row) { try chunk.append(value, row: rows) }
        rows += 1
        rowsInGroup += 1
        if rowsInGroup >= options.rowGroupRows || (rowsInGroup % 128 == 0 && estimatedGroupBytes >= options.rowGroupBytes) {
            try flushRowGroup()
        }
    }

    /// Appends rows in order.
    public func append<Rows: Sequence<[ParquetValue]>>(rows batch: Rows) throws {
        for row in batch { try append(row: row) }
    }

    /// Flushes the last row group, writes the footer and closes the sink.
    @discardableResult
    public func finish() throws -> ParquetFileSummary {
        guard !isFinished else { throw ParquetError.finished }
        isFinished = true
        try flushRowGroup()
        let footer = ThriftCompactEncoder.encode(fileMetaData())
        try emit(footer)
        var tail: [UInt8] = []
        ParquetEncoding.appendLittleEndian(UInt32(footer.count), into: &tail)
        try emit(tail + Self.magic)
        do { try sink.close() } catch { throw ParquetError.io("\(error)") }
        return ParquetFileSummary(rows: rows, rowGroups: rowGroups.count, bytes: position)
    }

    private var estimatedGroupBytes: Int { chunks.reduce(0) { $0 + $1.estimatedBytes } }

    /// Type checks a row before any cell is written, so a bad row leaves no half-row behind.
    private func check(_ row: [ParquetValue]) throws(ParquetError) {
        for (column, value) in zip(schema.columns, row) {
            switch (value, column.type) {
            case (.null, _), (.string, .string), (.int32, .int32), (.int64, .int64), (.double, .double),
                 (.boolean, .boolean), (.timestamp, .timestamp):
                continue
            default:
                throw .typeMismatch(row: rows, column: column.name, expected: column.type, found: value.kind)
            }
        }
    }

    private func flushRowGroup() throws {
        guard rowsInGroup > 0 else { return }
        let start = position
        var columns: [ThriftValue] = []
        var uncompressed: Int64 = 0
        var stored: Int64 = 0
        for chunk in chunks {
            columns.append(.structure(try chunk.flush(at: position) { bytes in try emit(bytes) }))
            uncompressed += chunk.lastFlush.uncompressed
            stored += chunk.lastFlush.stored
        }
        var group = ThriftStruct()
        group.set(1, .list(element: .structure, columns))
        group.set(2, .i64(uncompressed))
        group.set(3, .i64(Int64(rowsInGroup)))
        group.set(5, .i64(start))
        group.set(6, .i64(stored))
        group.set(7, .i16(Int16(truncatingIfNeeded: rowGroups.count)))
        rowGroups.append(group)
        rowsInGroup = 0
    }

    private func emit(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        do { try sink.write(bytes) } catch { throw ParquetError.io("\(error)") }
        position += Int64(bytes.count)
    }

    private func fileMetaData() -> ThriftStruct {
        var root = ThriftStruct()
        root.set(4, .string("schema"))
        root.set(5, .i32(Int32(schema.columns.count)))
        var elements: [ThriftValue] = [.structure(root)]
        for column in schema.columns {
            elements.append(.structure(Self.schemaElement(column)))
        }
        var meta = ThriftStruct()
        meta.set(1, .i32(2))
        meta.set(2, .list(element: .structure, elements))
        meta.set(3, .i64(rows))
        meta.set(4, .list(element: .structure, rowGroups.map { .structure($0) }))
        if !options.metadata.isEmpty {
            meta.set(5, .list(element: .structure, options.metadata.map { pair in
                var kv = ThriftStruct()
                kv.set(1, .string(pair.key))
                kv.set(2, .string(pair.value))
                return .structure(kv)
            }))
        }
        meta.set(6, .string("OneGrid Parquet writer"))
        // TYPE_ORDER for every column: the min/max statistics follow each type's own order.
        var typeOrder = ThriftStruct()
        typeOrder.set(1, .structure(ThriftStruct()))
        meta.set(7, .list(element: .structure, schema.columns.map { _ in .structure(typeOrder) }))
        return meta
    }

    static func schemaElement(_ column: ParquetColumn) -> ThriftStruct {
        var e = ThriftStruct()
        e.set(1, .i32(column.type.physicalType))
        e.set(3, .i32(1))  // OPTIONAL
        e.set(4, .string(column.name))
        // Converted types too (UTF8, TIMESTAMP_*) for readers that predate logical types.
        var logical = ThriftStruct()
        switch column.type {
        case .string:
            e.set(6, .i32(0))
            logical.set(1, .structure(ThriftStruct()))
        case .timestamp(let unit):
            e.set(6, .i32(unit == .milliseconds ? 9 : 10))
            var timeUnit = ThriftStruct()
            timeUnit.set(unit == .milliseconds ? 1 : 2, .structure(ThriftStruct()))
            var timestamp = ThriftStruct()
            timestamp.set(1, .bool(true))
            timestamp.set(2, .structure(timeUnit))
            logical.set(8, .structure(timestamp))
        case .int32, .int64, .double, .boolean:
            return e
        }
        e.set(10, .structure(logical))
        return e
    }
}
