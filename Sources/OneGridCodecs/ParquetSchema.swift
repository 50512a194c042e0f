/// Where a writer's bytes go: a file (`FileByteSink` conforms), a buffer in tests, or the
/// export's own output file. Writes arrive in order; `close` ends the output.
public protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
    /// Flushes what is buffered and releases the output.
    func close() throws
}

extension FileByteSink: ByteSink {}

/// A sink that keeps everything in memory, for tests and small outputs.
public final class ByteBufferSink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public private(set) var isClosed = false

    public init() {}

    public func write(_ bytes: [UInt8]) throws { self.bytes.append(contentsOf: bytes) }
    public func close() throws { isClosed = true }
}

/// The unit of a timestamp column; values count these units since 1970-01-01T00:00:00Z.
public enum ParquetTimeUnit: Sendable, Hashable {
    case milliseconds
    case microseconds
}

/// The type of a column as an analyst's tool sees it. Every column is OPTIONAL (nullable).
public enum ParquetColumnType: Sendable, Hashable, CustomStringConvertible {
    /// UTF-8 text (BYTE_ARRAY, logical type STRING), dictionary encoded while the
    /// dictionary stays small.
    case string
    case int32
    case int64
    case double
    case boolean
    /// An instant (INT64, logical type TIMESTAMP with isAdjustedToUTC = true).
    case timestamp(ParquetTimeUnit)

    public var description: String {
        switch self {
        case .string: return "string"
        case .int32: return "int32"
        case .int64: return "int64"
        case .double: return "double"
        case .boolean: return "boolean"
        case .timestamp(.milliseconds): return "timestamp(ms, UTC)"
        case .timestamp(.microseconds): return "timestamp(µs, UTC)"
        }
    }

    /// The physical `Type` enum value of parquet.thrift.
    var physicalType: Int32 {
        switch self {
        case .boolean: return 0
        case .int32: return 1
        case .int64, .timestamp: return 2
        case .double: return 5
        case .string: return 6
        }
    }
}

/// One column: its name (any UTF-8, Chinese headers included) and its type.
public struct ParquetColumn: Sendable, Hashable {
    public var name: String
    public var type: ParquetColumnType

    public init(_ name: String, _ type: ParquetColumnType) {
        self.name = name
        self.type = type
    }
}

/// The flat schema of a Parquet file: at least one column, names unique.
public struct ParquetSchema: Sendable, Hashable {
    public let columns: [ParquetColumn]

    public init(_ columns: [ParquetColumn]) throws(ParquetError) {
        guard !columns.isEmpty else { throw .emptySchema }
        var seen = Set<String>()
        for column in columns {
            guard !column.name.isEmpty else { throw .emptyColumnName }
            guard seen.insert(column.name).inserted else { throw .duplicateColumn(column.name) }
        }
        self.columns = columns
    }
}

/// One cell. The case must match the column's type (`.timestamp` for timestamp columns,
/// counting the column's unit); `.null` fits every column.
public enum ParquetValue: Sendable, Hashable {
    case null
    case string(String)
    case int32(Int32)
    case int64(Int64)
    case double(Double)
    case boolean(Bool)
    /// Units of the column's `ParquetTimeUnit` since the Unix epoch, UTC.
    case timestamp(Int64)

    var kind: String {
        switch self {
        case .null: return "null"
        case .string: return "string"
        case .int32: return "int32"
        case .int64: return "int64"
        case .double: return "double"
        case .boolean: return "boolean"
        case .timestamp: return "timestamp"
        }
    }
}

/// What went wrong writing Parquet. Rows count from 0 in the order appended.
public enum ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A schema needs at least one column.
    case emptySchema
    /// A column name is empty.
    case emptyColumnName
    /// Two columns share a name.
    case duplicateColumn(String)
    /// A row has more or fewer cells than the schema has columns.
    case rowWidth(row: Int64, expected: Int, found: Int)
    /// A cell's case does not match its column's type.
    case typeMismatch(row: Int64, column: String, expected: ParquetColumnType, found: String)
    /// Rows were appended after `finish`.
    case finished
    /// A partition value cannot name a folder (an empty column name, say).
    case partition(String)
    /// The sink failed: what it said.
    case io(String)

    public var description: String {
        switch self {
        case .emptySchema: return "parquet: the schema has no columns"
        case .emptyColumnName: return "parquet: a column name is empty"
        case .duplicateColumn(let name): return "parquet: column '\(name)' appears twice"
        case .rowWidth(let row, let expected, let found):
            return "parquet: row \(row): \(found) cells, the schema has \(expected) columns"
        case .typeMismatch(let row, let column, let expected, let found):
            return "parquet: row \(row), column '\(column)': a \(found) value in a \(expected) column"
        case .finished: return "parquet: rows appended after the file was finished"
        case .partition(let message): return "parquet: \(message)"
        case .io(let message): return "parquet: \(message)"
        }
    }
}
