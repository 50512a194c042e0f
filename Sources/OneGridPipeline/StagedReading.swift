import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel

/// A read item after the pure stages (map, resolve), handed to the consumer in file order.
enum StagedItem {
    /// Passed over by the reader (a blank line, a comment).
    case skippedByReader(reason: String)
    /// Bytes the reader could not make a record of.
    case unreadable(UnreadableRecord)
    /// A record the mapping skipped or rejected (`mapped` says which and why).
    case notAnEvent(SourceRecord, MappedRecord)
    /// A record the mapping made an event of, and that event resolved; `stored` is the
    /// event as the warehouse stores it (texts redacted), made on the worker when asked for,
    /// so the single writer thread does not pay for it.
    case event(SourceRecord, MappedRecord, ResolvedEvent, stored: ResolvedEvent?)
}

/// The parallel front of an import or dry-run: one thread reads the file in batches, `workers`
/// threads map and resolve batches (pure work, most of a record's cost), and the calling
/// thread takes the results back in file order through `next()`.
///
/// At most `capacity` batches are in flight, so memory stays flat however far the reader could
/// run ahead. A reader error is delivered after every batch read before it; `stop()` cancels
/// and waits until every thread has left, so the caller may close the file afterwards.
final class StagedReading: @unchecked Sendable {
    /// One batch of results with the reader's position after it (for progress).
    struct Batch {
        var items: [StagedItem]
        var bytesConsumed: Int64
    }

    private let condition = NSCondition()
    // All state below is guarded by `condition`.
    private var unclaimed: [(sequence: Int, items: [ReadItem], bytes: Int64)] = []
    private var unclaimedHead = 0
    private var done: [Int: Batch] = [:]
    private var nextSequence = 0
    private var delivered = 0
    private var readerFinished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var running = 0

    private let capacity: Int
    private let batchSize: Int

    /// Starts reading at once. `stage` maps one item; each worker gets its own `State`
    /// (memo tables) from `makeState`.
    init<State>(reader: any FeedReader, workers: Int, batchSize: Int = 256, capacityPerWorker: Int = 3,
                makeState: @escaping @Sendable () -> State, stage: @escaping @Sendable (ReadItem, inout State) -> StagedItem) {
        let workers = max(1, workers)
        self.batchSize = batchSize
        capacity = workers * capacityPerWorker
        let box = ReaderBox(reader)
        running = workers + 1
        spawn { [self] in read(box) }
        for _ in 0..<workers {
            spawn { [self] in
                var state = makeState()
                work { stage($0, &state) }
            }
        }
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            body()
            self.condition.lock()
            self.running -= 1
            self.condition.broadcast()
            self.condition.unlock()
        }
        // Deeply nested XML records recurse in the tree builder.
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func read(_ box: ReaderBox) {
        var items: [ReadItem] = []
        items.reserveCapacity(batchSize)
        var error: (any Error)?
        do {
            while let item = try box.reader.next() {
                items.append(item)
                if items.count >= batchSize {
                    guard submit(items, bytes: box.reader.bytesConsumed) else { return finish(nil) }
                    items.removeAll(keepingCapacity: true)
                }
            }
        } catch let e {
            error = e
        }
        if !items.isEmpty, !submit(items, bytes: box.reader.bytesConsumed) { return finish(nil) }
        finish(error)
    }

    /// False when the consumer has stopped.
    private func submit(_ items: [ReadItem], bytes: Int64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while nextSequence - delivered >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        unclaimed.append((nextSequence, items, bytes))
        nextSequence += 1
        condition.broadcast()
        return true
    }

    private func finish(_ error: (any Error)?) {
        condition.lock()
        readerFinished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    private func work(_ stage: (ReadItem) -> StagedItem) {
        while true {
            condition.lock()
            while unclaimedHead == unclaimed.count && !readerFinished && !cancelled { condition.wait() }
            if cancelled || unclaimedHead == unclaimed.count {
                condition.unlock()
                return
            }
            let job = unclaimed[unclaimedHead]
            unclaimed[unclaimedHead].items = []
            unclaimedHead += 1
            if unclaimedHead > 64, unclaimedHead * 2 > unclaimed.count {
                unclaimed.removeFirst(unclaimedHead)
                unclaimedHead = 0
            }
            condition.unlock()

            let staged = job.items.map(stage)

            condition.lock()
            done[job.sequence] = Batch(items: staged, bytesConsumed: job.bytes)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch in file order; nil at the end of the file. Throws the reader's error
    /// once every batch read before it has been taken.
    func next() throws -> Batch? {
        if delivered > 0, delivered % Self.batchesBetweenTrims == 0 { MemoryTuning.returnFreedPages() }
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let batch = done.removeValue(forKey: delivered) {
                delivered += 1
                condition.broadcast()
                return batch
            }
            if readerFinished && delivered == nextSequence {
                if let failure { throw failure }
                return nil
            }
            condition.wait()
        }
    }

    /// Freed pages go back to the system this often (see `MemoryTuning`).
    static let batchesBetweenTrims = 64

    /// Cancels whatever is still running and waits until every thread has left.
    func stop() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// The reader belongs to the reading thread until `stop()` returns.
    private final class ReaderBox: @unchecked Sendable {
        let reader: any FeedReader
        init(_ reader: any FeedReader) { self.reader = reader }
    }
}
