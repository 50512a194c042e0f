#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a Hive-style partitioned dataset: one folder per partition value
/// (`month=2020-06/part-0.parquet`), as pyarrow, DuckDB and Spark discover them. The
/// partition column lives in the folder names, not in the files.
///
/// Rows may arrive in any order: at most `maxOpenFiles` partitions have an open writer;
/// opening one more finishes the least recently used, and a later row for it starts its
/// next file (`part-1.parquet`). Memory is therefore bounded by `maxOpenFiles` row groups;
/// rows sorted by the partition value give exactly one file per partition.
///
/// A null or empty partition value goes to `__HIVE_DEFAULT_PARTITION__`, Hive's and
/// Spark's name for null; characters that cannot stand in a folder name (`/`, `=`, `%`,
/// control characters …) are written as `%XX`, as Hive escapes them.
public final class ParquetPartitionedWriter {
    public let directory: String
    public let partitionColumn: String
    public let schema: ParquetSchema
    public let options: ParquetWriterOptions
    public let maxOpenFiles: Int

    private struct Open {
        var writer: ParquetWriter
        var lastUse: Int
    }

    private var open: [String: Open] = [:]
    private var nextPart: [String: Int] = [:]
    private var files: [String] = []
    private var rows: Int64 = 0
    private var bytes: Int64 = 0
    private var clock = 0
    private var isFinished = false

    /// The name pyarrow and Spark give the null partition.
    public static let nullPartition = "__HIVE_DEFAULT_PARTITION__"

    /// Creates `directory` (and its parents) when missing. The partition column's name must
    /// not start with `.` or `_`: readers skip such folders as hidden.
    public init(directory: String, partitionColumn: String, schema: ParquetSchema,
                options: ParquetWriterOptions = ParquetWriterOptions(), maxOpenFiles: Int = 16) throws {
        guard !partitionColumn.isEmpty, !partitionColumn.hasPrefix("."), !partitionColumn.hasPrefix("_"),
              !partitionColumn.contains("/"), !partitionColumn.contains("=") else {
            throw ParquetError.partition("partition column '\(partitionColumn)' cannot name a Hive folder")
        }
        guard !schema.columns.contains(where: { $0.name == partitionColumn }) else {
            throw ParquetError.partition("partition column '\(partitionColumn)' is also a column of the files")
        }
        self.directory = directory
        self.partitionColumn = partitionColumn
        self.schema = schema
        self.options = options
        self.maxOpenFiles = max(1, maxOpenFiles)
        try Self.makeDirectories(directory)
    }

    /// Appends one row to its partition (`nil` or empty: the null partition).
    public func append(row: [ParquetValue], partition: String?) throws {
        guard !isFinished else { throw ParquetError.finished }
        let folder = partitionColumn + "=" + Self.escape(partition)
        clock += 1
        if open[folder] != nil {
            open[folder]!.lastUse = clock
        } else {
            if open.count >= maxOpenFiles, let (oldest, _) = open.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                try close(oldest)
            }
            let part = nextPart[folder, default: 0]
            nextPart[folder] = part + 1
            try Self.makeDirectories(directory + "/" + folder)
            let relative = folder + "/part-\(part).parquet"
            let writer = try ParquetWriter(path: directory + "/" + relative, schema: schema, options: options)
            files.append(relative)
            open[folder] = Open(writer: writer, lastUse: clock)
        }
        try open[folder]!.writer.append(row: row)
        rows += 1
    }

    /// Finishes every open file; returns the files written (relative to `directory`, in
    /// the order they were started) and the totals.
    @discardableResult
    public func finish() throws -> (files: [String], rows: Int64, bytes: Int64) {
        guard !isFinished else { throw ParquetError.finished }
        isFinished = true
        for folder in open.keys.sorted() { try close(folder) }
        return (files, rows, bytes)
    }

    private func close(_ folder: String) throws {
        guard let entry = open.removeValue(forKey: folder) else { return }
        bytes += try entry.writer.finish().bytes
    }

    /// The folder-safe form of a partition value.
    public static func escape(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return nullPartition }
        let special = Set("\"#%'*/:=?\\{}[]^".utf8)
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in value.utf8 {
            if byte < 0x20 || byte == 0x7F || special.contains(byte) {
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            } else {
                out.append(byte)
            }
        }
        let text = String(decoding: out, as: UTF8.self)
        // "." and ".." would name the folder itself or its parent.
        if text == "." { return "%2E" }
        if text == ".." { return "%2E%2E" }
        return text
    }

    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw ParquetError.io("\(prefix): cannot create folder: \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
    }
}
