import Foundation
import OneGridCodecs
import OneGridModel
import OneGridWarehouse

/// What an export produced.
public struct ExportSummary: Sendable, Hashable {
    public var path: String
    public var rows: Int
    public var bytes: Int64
    public var manifestPath: String
    public var manifest: ExportManifest
}

/// The one entry point for exports: runs a table's query in one read transaction (a
/// consistent snapshot), streams the rows into the format's writer, then writes the
/// manifest beside the output. Both go through `OutputFile`s (a temporary file renamed
/// into place; a link planted at either path is replaced, never followed), mode 0600 for
/// `--pii clear` and 0644 otherwise. A failed export (for instance `--pii clear` without
/// the key, or an event without a payload) leaves whatever was at `path` untouched; the
/// old manifest is removed before the new data lands, so a manifest never describes
/// another file than the one beside it, and it records that file's SHA-256.
public struct Exporter: Sendable {
    public let warehouse: Warehouse

    public init(warehouse: Warehouse) {
        self.warehouse = warehouse
    }

    public func export(table: ExportTable, format: ExportFormat, to path: String,
                       options: ExportOptions = ExportOptions()) throws -> ExportSummary {
        // Refuse before creating anything.
        let pii = try PIIRenderer(level: options.pii, key: options.key)
        if table == .gridMonthly || table == .alerts {
            guard options.alerts.repeatMinReports >= 1, options.alerts.repeatWindowDays >= 0,
                  options.alerts.riseBaselineMonths >= 1, options.alerts.riseFactor >= 0 else {
                throw ExportError.invalidOption(name: "alerts", message: "counts, days and months must be positive")
            }
        }
        if options.encoding != .utf8 && format != .csv {
            throw ExportError.invalidOption(name: "--encoding", message: "\(options.encoding.rawValue) is for CSV; \(format.rawValue) is always UTF-8")
        }
        try check(options.filter)
        if let month = options.month {
            guard table == .grids else { throw ExportError.invalidOption(name: "--month", message: "only grids carry a month's figures") }
            guard GridsTable.monthRange(month) != nil else {
                throw ExportError.invalidOption(name: "--month", message: "'\(month)' is not a month (YYYY-MM)")
            }
        }
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        let exportedAt = options.exportedAt ?? now
        let asOf = options.asOf ?? now
        let permissions = OutputPermissions(pii: options.pii)
        var (columns, boundaries) = try warehouse.readTables { reader in
            (try table.columns(reader, pii: options.pii, month: options.month), format == .geojson && table == .grids ? try reader.gridBoundaries() : [:])
        }
        // A printed grid_monthly workbook leads with the grade and the figures it rests on.
        let order = format == .xlsx && table == .gridMonthly ? GridMonthlyTable.printOrder(columns) : nil
        if let order { columns = order.map { columns[$0] } }
        let headers = columns.map { $0.header(options.headers, zoneless: format == .csv || format == .xlsx) }
        guard format.tables.contains(table) else {
            throw ExportError.invalidOption(name: "--format \(format.rawValue)",
                                            message: "only for " + format.tables.map(\.rawValue).joined(separator: ", "))
        }
        if options.partitionBy != nil && format != .parquet {
            throw ExportError.invalidOption(name: "--partition-by", message: "only Parquet exports are partitioned")
        }
        var writer: any TableWriter
        // A partitioned export is a folder written in place: one that did not exist is
        // removed again when the export fails.
        var createdFolder: String?
        switch format {
        case .csv: writer = try CSVTableWriter(path: path, encoding: options.encoding, bom: options.bom,
                                               permissions: permissions, neutralizesFormulas: options.neutralizesFormulas)
        case .jsonl: writer = try JSONLinesTableWriter(path: path, permissions: permissions)
        case .xlsx:
            let workbook = try XLSXTableWriter(path: path, sheetName: table.rawValue, modified: exportedAt,
                                               maxRowsPerSheet: options.maxRowsPerSheet, permissions: permissions)
            workbook.columnFormats = columns.map { c in
                c.en.hasSuffix("_rate") || c.en.hasSuffix("_share") ? .percent : c.en == "assessment" ? .grade : .plain
            }
            writer = workbook
        case .geojson:
            let geo = GeoJSONWriterOptions(transform: options.positionTransform)
            if table == .grids {
                let code = columns.firstIndex { $0.en == "grid_code" }!
                writer = try GeoJSONTableWriter(path: path, permissions: permissions, options: geo) { row in
                    GeoJSONTableWriter.geometry(boundaries[row[code].plainText])
                }
            } else {
                let lng = columns.firstIndex { $0.en == "lng" }!, lat = columns.firstIndex { $0.en == "lat" }!
                writer = try GeoJSONTableWriter(path: path, permissions: permissions, options: geo) { row in
                    GeoJSONTableWriter.point(row[lng], row[lat])
                }
            }
        case .parquet:
            if let partition = options.partitionBy {
                // Files of an earlier export left beside the new ones would be read as part
                // of the dataset: the folder must be new or empty.
                if let existing = try? FileManager.default.contentsOfDirectory(atPath: path) {
                    guard existing.isEmpty else {
                        throw ExportError.invalidOption(name: "--out", message: "\(path) is a folder that is not empty; remove it or choose another")
                    }
                } else if FileManager.default.fileExists(atPath: path) {
                    throw ExportError.invalidOption(name: "--out", message: "\(path) is a file; --partition-by writes a folder")
                } else {
                    createdFolder = path
                }
                writer = try PartitionedParquetTableWriter(directory: path, partition: partition, english: columns.map(\.en),
                                                           table: table.rawValue)
            } else {
                writer = try ParquetTableWriter(path: path, permissions: permissions)
            }
        }
        if let order { writer = ReorderedTableWriter(writer, order: order) }
        let manifestPath = path + ".manifest.json"
        var rows = 0
        let bytes: Int64
        let applied: Set<String>
        let facts: WarehouseFacts
        do {
            (applied, facts) = try warehouse.readTables { reader in
                let context = TableContext(reader: reader, options: options, references: References(try reader.referenceNames()),
                                           pii: pii, asOf: asOf)
                try writer.begin(columns: headers)
                let written = try table.write(context, to: writer)
                rows = written.rows
                return (written.applied, try reader.facts())
            }
            try OutputFile.remove(manifestPath)
            bytes = try writer.finish()
        } catch {
            writer.discard()
            if let createdFolder { try? FileManager.default.removeItem(atPath: createdFolder) }
            throw error
        }
        var tableOptions: [String: String] = [:]
        if table == .gridMonthly {
            let t = options.thresholds
            tableOptions = [
                "level": options.level.rawValue,
                "red": "closure_rate>=\(t.redMinClosureRate), satisfied_share>=\(t.redMinSatisfiedShare), repeat_share<=\(t.redMaxRepeatShare)",
                "yellow": "closure_rate<\(t.yellowClosureRateBelow) or satisfied_share<\(t.yellowSatisfiedShareBelow) or repeat_share>\(t.yellowRepeatShareAbove)",
                "minimumEvents": String(t.minimumEvents),
                "minimumRated": String(t.minimumRated),
            ]
        } else if table == .alerts {
            let a = options.alerts
            tableOptions = [
                "asOf": asOf.iso8601,
                "repeat": "min_reports=\(a.repeatMinReports), min_feeds=\(a.repeatMinFeeds), window_days=\(a.repeatWindowDays)",
                "rise": "baseline_months=\(a.riseBaselineMonths), factor=\(a.riseFactor), min_count=\(a.riseMinCount), min_history_months=\(a.riseMinHistoryMonths)",
                "overdueDays": a.overdueDays.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                    + ", other=\(a.overdueDefaultDays)",
            ]
        }
        if let partition = options.partitionBy { tableOptions["partitionBy"] = partition.rawValue }
        if format == .geojson { tableOptions["crs"] = options.crs }
        if let month = options.month { tableOptions["month"] = month }
        let manifest = ExportManifest(
            table: table.rawValue, format: format.rawValue,
            encoding: format == .csv ? options.encoding.rawValue : nil,
            headers: options.headers.rawValue, pii: options.pii.rawValue,
            file: (path as NSString).lastPathComponent, rows: rows, bytes: bytes,
            columns: columns.map(\.en), filters: options.filter.described, filtersApplied: applied.sorted(),
            options: tableOptions, schemaMigrations: facts.migrations, warehouseMeta: facts.meta,
            keyFingerprint: facts.meta["key_fingerprint"], mappings: facts.mappings.map(ExportManifest.Mapping.init),
            exportedAt: exportedAt.iso8601, sha256: writer.sha256)
        try manifest.write(to: manifestPath, permissions: permissions)
        return ExportSummary(path: path, rows: rows, bytes: bytes, manifestPath: manifestPath, manifest: manifest)
    }
}

extension Exporter {
    /// A table's headers and rows collected in memory, for small tables, previews and
    /// tests; exports to files go through `export(table:format:to:options:)`, which streams.
    public func rows(table: ExportTable, options: ExportOptions = ExportOptions()) throws -> (headers: [String], rows: [[ExportValue]]) {
        let pii = try PIIRenderer(level: options.pii, key: options.key)
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        var rows: [[ExportValue]] = []
        var columns: [ExportColumn] = []
        try warehouse.readTables { reader in
            columns = try table.columns(reader, pii: options.pii, month: options.month)
            let context = TableContext(reader: reader, options: options, references: References(try reader.referenceNames()),
                                       pii: pii, asOf: options.asOf ?? now)
            _ = try table.rows(context) { row in rows.append(copy row) }
        }
        return (columns.map { $0.header(options.headers) }, rows)
    }
}
