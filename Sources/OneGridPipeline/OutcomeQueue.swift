import Foundation

/// The bounded hand-off between the reading thread (read → map → resolve) and the single
/// SQLite writer of an import: batches in file order, at most `capacity` batches waiting,
/// so memory stays flat however far the reader could run ahead. Either side can stop the
/// other: the reader by finishing (with or without an error), the writer by cancelling.
final class OutcomeQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var head = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Hands a batch to the writer, waiting while the queue is full. False when the writer
    /// has cancelled (the reader should stop).
    func put(_ batch: [Element]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// The reader is done: `error` is the reason it stopped early, if any.
    func finish(error: (any Error)? = nil) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order; nil once the reader finished and everything was taken.
    /// Throws the reader's error after the batches it handed on before failing.
    func take() throws -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while head == batches.count && !finished { condition.wait() }
        if head < batches.count {
            let batch = batches[head]
            batches[head] = []
            head += 1
            if head > 64 && head * 2 > batches.count {
                batches.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// Waits until the reader has finished (after `cancel`, so its thread is done with the file).
    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// The writer gives up: the reader's next `put` returns false.
    func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
