import Foundation
import OneGridWarehouse

/// Hands `RowBlock`s from the thread reading the database to a thread that renders and
/// writes them, so reading SQLite and formatting plus writing the file run on two cores.
/// At most `depth` blocks wait; emptied blocks come back for reuse, so memory stays a few
/// blocks whatever the row count. A writer error stops the reading side at its next block.
/// An `expand` step, when given, turns each block as sent into the block written, on the
/// writing thread, to take work off the reading one.
final class BlockPipeline: @unchecked Sendable {
    /// Appends the rows of a block as sent to a block to write.
    typealias Expand = @Sendable (borrowing RowBlock, inout RowBlock) -> Void

    private let writer: any TableWriter
    private let columns: Int
    private let depth: Int
    private let expand: Expand?
    private let expandedColumns: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var full: [RowBlock] = []
    private var free: [RowBlock] = []
    private var closed = false
    private var done = false
    private var failure: (any Error)?

    /// `columns` are the cells per row of the blocks sent; `expandedColumns` those of the
    /// blocks `expand` fills.
    init(writer: any TableWriter, columns: Int, depth: Int = 4, expand: Expand? = nil, expandedColumns: Int = 0) {
        self.writer = writer
        self.columns = columns
        self.depth = depth
        self.expand = expand
        self.expandedColumns = expandedColumns
        let thread = Thread { [self] in drain() }
        thread.name = "onegrid export writer"
        thread.start()
    }

    /// Queues `block` for writing and leaves an empty block in its place.
    func send(_ block: inout RowBlock) throws {
        condition.lock()
        defer { condition.unlock() }
        while full.count >= depth && failure == nil { condition.wait() }
        if let failure { throw failure }
        full.append(block)
        block = free.popLast() ?? RowBlock(columns: columns, capacity: EventsTable.blockRows)
        condition.broadcast()
    }

    /// Waits until every queued block is written; rethrows the writer's error.
    func finish() throws {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        if let failure { throw failure }
    }

    private func drain() {
        var expanded = RowBlock(columns: expandedColumns, capacity: expand == nil ? 0 : EventsTable.blockRows)
        while true {
            condition.lock()
            while full.isEmpty && !closed { condition.wait() }
            if full.isEmpty || failure != nil {
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            var block = full.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                if let expand {
                    expand(block, &expanded)
                    try writer.write(anyBlock: expanded)
                    expanded.removeAll()
                } else {
                    try writer.write(anyBlock: block)
                }
                block.removeAll()
                condition.lock()
                free.append(block)
                condition.unlock()
            } catch {
                condition.lock()
                failure = error
                full.removeAll()
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
