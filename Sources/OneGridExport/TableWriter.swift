import OneGridWarehouse

/// A sink for one table, fed row by row: `begin` once, `write` per row, then `finish` or
/// `discard` once. Implementations stream to disk through an `OutputFile` (nothing appears
/// at the path before `finish`) and keep memory flat whatever the row count.
public protocol TableWriter: AnyObject {
    /// Starts the table with its headers (already in the chosen language).
    func begin(columns: [String]) throws
    /// Writes one row; `row.count` equals the number of columns.
    func write(row: [ExportValue]) throws
    /// Completes the output and closes the file; returns the bytes written.
    @discardableResult
    func finish() throws -> Int64
    /// Drops the output: nothing appears at the path (a failed export calls this).
    func discard()
    /// SHA-256 of the file's bytes once `finish()` has put it in place: for the manifest.
    var sha256: String? { get }
}

/// A writer that renders a `RowBlock`'s cells straight from its bytes.
protocol RowBlockWriter: TableWriter {
    func write(block: borrowing RowBlock) throws
}

extension TableWriter {
    /// Writes a block of rows in order: rendered from its bytes by a `RowBlockWriter`,
    /// else each row as values.
    func write(anyBlock block: borrowing RowBlock) throws {
        if let writer = self as? any RowBlockWriter {
            try writer.write(block: block)
        } else {
            for i in 0..<block.rowCount { try write(row: block.row(i)) }
        }
    }
}

/// The output formats.
public enum ExportFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case csv
    case jsonl
    case xlsx
    /// Apache Parquet with typed columns (one file, or a Hive-style folder with `partitionBy`).
    case parquet
    /// An RFC 7946 FeatureCollection: grids as polygons, places as points (those two tables only).
    case geojson

    /// The tables a format can hold: every table, except that GeoJSON needs a geometry.
    public var tables: [ExportTable] { self == .geojson ? [.grids, .places] : ExportTable.allCases }
}
