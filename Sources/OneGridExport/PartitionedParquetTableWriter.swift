import OneGridCodecs
import OneGridModel
import OneGridWarehouse

/// How `--partition-by` splits a Parquet export into a Hive-style folder.
public enum ExportPartition: String, Sendable, Hashable, Codable, CaseIterable {
    /// `month=2020-06/`: from the `month` column, else the row's report (or first, or load) time in Beijing time.
    case month
    /// `district=320116/`: from the `district_code` column.
    case district

    /// English column names the partition value is read from, in order of preference.
    var sources: [String] {
        switch self {
        case .month: return ["month", "reported_at", "first_at", "loaded_at"]
        case .district: return ["district_code"]
        }
    }

    /// The folder value of a cell: `yyyy-MM` for a month, the text otherwise; nil for null.
    func value(_ cell: ExportValue) -> String? {
        switch (self, cell) {
        case (_, .null): return nil
        case (.month, .timestamp(let t)): return String(t.beijingText.prefix(7))
        case (.month, .text(let s)): return String(s.prefix(7))
        default: return cell.plainText
        }
    }
}

/// Parquet as a Hive-style folder (`<out>/month=2020-06/part-0.parquet`) through the
/// `TableWriter` contract, typed as `ParquetTableWriter` types its columns. The partition
/// value comes from a column of the table (see `ExportPartition`); a column whose English
/// name is the partition's own is left out of the files, its value being in the folder name.
/// Unlike single files, the folder is written in place: a failed export removes the files
/// it wrote, and a folder name readers would skip is refused.
public final class PartitionedParquetTableWriter: TableWriter {
    private let directory: String
    private let partition: ExportPartition
    private let english: [String]
    private let source: Int
    private let kept: [Int]
    private let options: ParquetWriterOptions
    private var headers: [String] = []
    private var held: [[ExportValue]] = []
    private var writer: ParquetPartitionedWriter?
    private var types: [ParquetColumnType] = []

    /// `english` are the table's English column names, to find the partition's source column.
    public init(directory: String, partition: ExportPartition, english: [String], table: String,
                options: ParquetWriterOptions = ParquetWriterOptions()) throws {
        guard let source = partition.sources.lazy.compactMap({ english.firstIndex(of: $0) }).first else {
            throw ExportError.invalidOption(name: "--partition-by",
                                            message: "\(table) has no column to partition by \(partition.rawValue)")
        }
        self.directory = directory
        self.partition = partition
        self.english = english
        self.source = source
        kept = english.indices.filter { english[$0] != partition.rawValue }
        self.options = options
    }

    public func begin(columns: [String]) throws {
        headers = kept.map { columns[$0] }
    }

    public func write(row: [ExportValue]) throws {
        if let writer {
            try append(row, to: writer)
            return
        }
        held.append(row)
        if held.count >= ParquetTableWriter.inferenceRows { try start() }
    }

    public func finish() throws -> Int64 {
        if writer == nil { try start() }
        return try writer!.finish().bytes
    }

    public func discard() {
        // The files written so far are left for the caller's folder clean-up; a writer
        // not yet started wrote nothing.
        held = []
    }

    /// A folder has no single digest.
    public var sha256: String? { nil }

    private func start() throws {
        types = ParquetTableWriter.inferTypes(held.map { row in kept.map { row[$0] } }, columns: kept.count)
        let schema = try ParquetSchema(zip(headers, types).map { ParquetColumn($0, $1) })
        let started = try ParquetPartitionedWriter(directory: directory, partitionColumn: partition.rawValue,
                                                   schema: schema, options: options)
        for row in held { try append(row, to: started) }
        held = []
        writer = started
    }

    private func append(_ row: [ExportValue], to writer: ParquetPartitionedWriter) throws {
        try writer.append(row: ParquetTableWriter.convert(kept.map { row[$0] }, types), partition: partition.value(row[source]))
    }
}
