import OneGridWarehouse

/// Hands rows to another writer with their cells in another order (`order[i]` is the
/// index of the cell written i-th): a layout choice of one format (the printed
/// `grid_monthly` workbook) without a second version of the table.
final class ReorderedTableWriter: TableWriter {
    private let base: any TableWriter
    private let order: [Int]

    init(_ base: any TableWriter, order: [Int]) {
        self.base = base
        self.order = order
    }

    /// The headers come already in the new order (they are built from the reordered columns).
    func begin(columns: [String]) throws { try base.begin(columns: columns) }

    func write(row: [ExportValue]) throws { try base.write(row: order.map { row[$0] }) }

    @discardableResult
    func finish() throws -> Int64 { try base.finish() }

    func discard() { base.discard() }

    var sha256: String? { base.sha256 }
}
