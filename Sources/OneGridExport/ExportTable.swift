import OneGridModel
import OneGridWarehouse

/// The consolidated tables an analyst can export.
public enum ExportTable: String, Sendable, Hashable, Codable, CaseIterable {
    case events
    case incidents
    case people
    case places
    case grids
    case gridMonthly = "grid_monthly"
    case alerts
    case rejects
    case steps

    /// The column list, in order; `grid_monthly` has one column per feed the warehouse holds,
    /// and `people` at `--pii token` names its token columns for what they are.
    /// With `month`, `grids` also carries that month's `grid_monthly` figures.
    public func columns(_ reader: TableReader, pii: PIILevel = .masked, month: String? = nil) throws -> [ExportColumn] {
        switch self {
        case .events: return EventsTable.columns
        case .incidents: return IncidentsTable.columns
        case .people: return PeopleTable.columns(pii)
        case .places: return PlacesTable.columns
        case .grids: return GridsTable.columns + (month == nil ? [] : GridsTable.monthColumns)
        case .gridMonthly: return GridMonthlyTable.columns(feeds: try reader.feeds())
        case .alerts: return AlertsTable.columns
        case .rejects: return RejectsTable.columns
        case .steps: return StepsTable.columns
        }
    }

    /// Streams the rows into `writer`, in blocks where the table builds them; returns the
    /// rows written and the names of the filters that applied.
    func write(_ context: TableContext, to writer: any TableWriter) throws -> (rows: Int, applied: Set<String>) {
        var rows = 0
        let applied: Set<String>
        if self == .events {
            // The look-ups by code run on the writing thread: the reading one, stepping
            // SQLite, is the slower of the two.
            let expansion = try EventExpansion(context)
            let pipeline = BlockPipeline(writer: writer, columns: EventsTable.readColumns,
                                         expand: { expansion.expand($0, into: &$1) },
                                         expandedColumns: EventsTable.columns.count)
            do {
                applied = try EventsTable.readBlocks(context) { block in
                    rows += block.rowCount
                    try pipeline.send(&block)
                }
            } catch {
                try? pipeline.finish()
                throw error
            }
            try pipeline.finish()
        } else {
            applied = try self.rows(context) { row in
                try writer.write(row: row)
                rows += 1
            }
        }
        return (rows, applied)
    }

    /// Streams the rows to `emit`; returns the names of the filters that applied.
    func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        switch self {
        case .events: return try EventsTable.rows(context, emit: emit)
        case .incidents: return try IncidentsTable.rows(context, emit: emit)
        case .people: return try PeopleTable.rows(context, emit: emit)
        case .places: return try PlacesTable.rows(context, emit: emit)
        case .grids: return try GridsTable.rows(context, emit: emit)
        case .gridMonthly: return try GridMonthlyTable.rows(context, emit: emit)
        case .alerts: return try AlertsTable.rows(context, emit: emit)
        case .rejects: return try RejectsTable.rows(context, emit: emit)
        case .steps: return try StepsTable.rows(context, emit: emit)
        }
    }
}

/// What a table needs: the warehouse's table reader, the options, names and the PII renderer.
struct TableContext {
    let reader: TableReader
    let options: ExportOptions
    let references: References
    let pii: PIIRenderer
    let asOf: Timestamp

    var filter: ExportFilter { options.filter }
}
