import OneGridCodecs
import OneGridModel
import OneGridWarehouse

/// Parquet through the `TableWriter` contract, written through an `OutputFile` (nothing at
/// the path before `finish`). `begin` gives only headers, so column types are read off the
/// first rows (up to `inferenceRows`, held in memory), then rows stream to a
/// `ParquetWriter`: integers → int64, reals (with or without integers) → double,
/// timestamps → timestamp (µs, UTC), text or a mix → string; a column null in every
/// inspected row is a string column. A later cell is widened when that loses nothing (an
/// integer in a double column, anything in a string column), else `ParquetWriter` reports
/// the row and column.
public final class ParquetTableWriter: TableWriter {
    private let file: OutputFile
    private let options: ParquetWriterOptions
    private var headers: [String] = []
    private var held: [[ExportValue]] = []
    private var writer: ParquetWriter?
    private var types: [ParquetColumnType] = []
    static let inferenceRows = 10_000

    public init(path: String, permissions: OutputPermissions = .ownerOnly,
                options: ParquetWriterOptions = ParquetWriterOptions()) throws {
        file = try OutputFile(path: path, permissions: permissions)
        self.options = options
    }

    public func begin(columns: [String]) throws {
        headers = columns
    }

    public func write(row: [ExportValue]) throws {
        if let writer {
            try writer.append(row: Self.convert(row, types))
            return
        }
        held.append(row)
        if held.count >= Self.inferenceRows { try start() }
    }

    public func finish() throws -> Int64 {
        if writer == nil { try start() }
        try writer!.finish()
        return file.bytes
    }

    public func discard() {
        file.discard()
    }

    public var sha256: String? { file.sha256 }

    private func start() throws {
        types = Self.inferTypes(held, columns: headers.count)
        let schema = try ParquetSchema(zip(headers, types).map { ParquetColumn($0, $1) })
        let started = try ParquetWriter(schema: schema, sink: OutputFileSink(file), options: options)
        for row in held { try started.append(row: Self.convert(row, types)) }
        held = []
        writer = started
    }

    static func inferTypes(_ rows: [[ExportValue]], columns: Int) -> [ParquetColumnType] {
        (0..<columns).map { i in inferType(rows.lazy.map { $0[i] }) }
    }

    static func inferType<Values: Sequence<ExportValue>>(_ values: Values) -> ParquetColumnType {
        var integer = false, real = false, time = false, text = false
        for value in values {
            switch value {
            case .integer: integer = true
            case .real: real = true
            case .timestamp: time = true
            case .text: text = true
            case .null: break
            }
        }
        if text || (time && (integer || real)) { return .string }
        if time { return .timestamp(.microseconds) }
        if real { return .double }
        if integer { return .int64 }
        return .string
    }

    static func convert(_ row: [ExportValue], _ types: [ParquetColumnType]) -> [ParquetValue] {
        zip(row, types).map { value, type in
            switch (value, type) {
            case (.null, _): return .null
            case (_, .string): return .string(value.plainText)
            case (.integer(let i), .double): return .double(Double(i))
            // Anything else is left for ParquetWriter to check, with its row and column.
            case (.integer(let i), _): return .int64(i)
            case (.real(let d), _): return .double(d)
            case (.timestamp(let t), _): return .timestamp(t.seconds * 1_000_000)
            case (.text(let s), _): return .string(s)
            }
        }
    }
}

/// An `OutputFile` seen as a codec's byte sink: the codec's `close` puts the file in place.
final class OutputFileSink: ByteSink {
    private let file: OutputFile

    init(_ file: OutputFile) {
        self.file = file
    }

    func write(_ bytes: [UInt8]) throws { try file.write(bytes) }
    func close() throws { try file.close() }
}
