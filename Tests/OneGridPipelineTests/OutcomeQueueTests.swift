import Foundation
import Testing
@testable import OneGridPipeline

/// The hand-off between an import's reading thread and its SQLite writer.
@Suite("The bounded queue between reader and writer")
struct OutcomeQueueTests {
    struct ReaderFailed: Error, Equatable {}

    final class Box: @unchecked Sendable { var value: [Bool] = [] }

    @Test("batches arrive in order through a queue of two, then the end")
    func keepsOrder() throws {
        let queue = OutcomeQueue<Int>(capacity: 2)
        let thread = Thread {
            for i in 0..<500 { _ = queue.put([2 * i, 2 * i + 1]) }
            queue.finish()
        }
        thread.start()
        var seen: [Int] = []
        while let batch = try queue.take() { seen += batch }
        #expect(seen == Array(0..<1000))
    }

    @Test("the reader's error comes after every batch it handed on before failing")
    func errorAfterBatches() throws {
        let queue = OutcomeQueue<Int>(capacity: 4)
        _ = queue.put([1])
        _ = queue.put([2, 3])
        queue.finish(error: ReaderFailed())
        #expect(try queue.take() == [1])
        #expect(try queue.take() == [2, 3])
        #expect(throws: ReaderFailed()) { try queue.take() }
    }

    @Test("a writer that cancels releases a reader blocked on a full queue")
    func cancelReleasesReader() throws {
        let queue = OutcomeQueue<Int>(capacity: 1)
        #expect(queue.put([1]))
        let results = Box()
        let thread = Thread {
            results.value.append(queue.put([2]))  // blocks: the one slot is taken
            queue.finish()
        }
        thread.start()
        queue.cancel()
        queue.waitUntilFinished()
        #expect(results.value == [false])
        #expect(try queue.take() == nil)
    }
}
