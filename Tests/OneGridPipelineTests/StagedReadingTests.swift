import Foundation
import OneGridFeeds
import OneGridModel
import Testing
@testable import OneGridPipeline

/// The parallel front of an import: one reading thread, several mapping workers, results
/// back in file order on the calling thread.
@Suite("Reading, mapping and resolving on their own threads")
struct StagedReadingTests {
    /// Items numbered 1…count as reader skips (the number is the reason), optionally failing
    /// the file after `failAfter` items.
    final class NumberedReader: FeedReader {
        let count: Int
        let failAfter: Int?
        private var n = 0

        init(count: Int, failAfter: Int? = nil) {
            self.count = count
            self.failAfter = failAfter
        }

        func next() throws(FeedError) -> ReadItem? {
            if let failAfter, n == failAfter {
                throw FeedError(kind: .malformed, position: SourcePosition(file: "numbers", line: n + 1), message: "cut off")
            }
            guard n < count else { return nil }
            n += 1
            return .skipped(SourcePosition(file: "numbers", line: n), reason: String(n))
        }

        var header: [String]? { nil }
        var encoding: TextEncodingName { .utf8 }
        var isGzip: Bool { false }
        var bytesConsumed: Int64 { Int64(n) }
        var fileSize: Int64 { Int64(count) }
    }

    /// Takes every item, in the order the consumer receives them.
    static func drain(_ staged: StagedReading) throws -> [Int] {
        var out: [Int] = []
        while let batch = try staged.next() {
            for case .skippedByReader(let reason) in batch.items { out.append(Int(reason)!) }
        }
        return out
    }

    static func numbered(workers: Int, reader: NumberedReader, batchSize: Int = 7) -> StagedReading {
        StagedReading(reader: reader, workers: workers, batchSize: batchSize, capacityPerWorker: 2,
                      makeState: { 0 }, stage: { item, seen in
                          seen += 1
                          // Uneven work, so that workers finish batches out of order.
                          if case .skipped(let position, _) = item, position.line % 5 == 0 { usleep(200) }
                          guard case .skipped(_, let reason) = item else { return .skippedByReader(reason: "0") }
                          return .skippedByReader(reason: reason)
                      })
    }

    @Test("four workers hand back 1,000 items in file order, each once")
    func fileOrder() throws {
        let staged = Self.numbered(workers: 4, reader: NumberedReader(count: 1_000))
        defer { staged.stop() }
        #expect(try Self.drain(staged) == Array(1...1_000))
    }

    @Test("a reader error arrives after every item read before it")
    func readerErrorAfterItsPredecessors() throws {
        let staged = Self.numbered(workers: 3, reader: NumberedReader(count: 100, failAfter: 40))
        defer { staged.stop() }
        var out: [Int] = []
        #expect(throws: FeedError.self) {
            while let batch = try staged.next() {
                for case .skippedByReader(let reason) in batch.items { out.append(Int(reason)!) }
            }
        }
        #expect(out == Array(1...40))
    }

    @Test("stopping early lets every thread leave, with the reader far from the end")
    func stopEarly() throws {
        let reader = NumberedReader(count: 1_000_000)
        let staged = Self.numbered(workers: 2, reader: reader)
        let first = try staged.next()
        staged.stop()
        #expect(first?.items.count == 7)
        // At most the batches in flight were read: two per worker, plus the ones in hand.
        #expect(reader.bytesConsumed < 1_000)
    }

    @Test("an import with four workers loads exactly what one worker loads")
    func workersDoNotChangeTheResult() throws {
        let (one, oneFolder) = try makeWorkspace()
        let (four, otherFolder) = try makeWorkspace(sharingKeyOf: one)
        defer {
            try? FileManager.default.removeItem(atPath: oneFolder)
            try? FileManager.default.removeItem(atPath: otherFolder)
        }
        for (workspace, workers) in [(one, 1), (four, 4)] {
            for feed in ["hotline12345", "petition", "patrol"] {
                let folder = feed == "hotline12345" ? "hotline" : feed
                let importer = FileImporter(workspace: workspace, mapping: try mapping(feed),
                                            resolution: try Resolution(warehouse: workspace.warehouse))
                importer.workers = workers
                for path in files(folder) where !path.contains("truncated") {
                    #expect(importer.importFile(path, runID: nil).state != .failed)
                }
            }
        }
        let digest = try contentDigest(one.warehouse)
        #expect(digest["event"]!.count > 100)
        let fourDigest = try contentDigest(four.warehouse)
        for (table, rows) in digest where fourDigest[table] != rows {
            let a = Set(rows), b = Set(fourDigest[table] ?? [])
            Issue.record("\(table): only with one worker \(a.subtracting(b).sorted().prefix(2)); only with four \(b.subtracting(a).sorted().prefix(2))")
        }
    }
}

@Suite("Resolution indexes built on first need")
struct LazyResolutionTests {
    final class Counter: @unchecked Sendable { var builds = 0 }

    @Test("a file already loaded is skipped without building the indexes")
    func alreadyLoadedNeedsNoIndexes() throws {
        let (workspace, folder) = try makeWorkspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = files("hotline").first { $0.hasSuffix(".csv") }!
        let counter = Counter()
        func importer() throws -> FileImporter {
            FileImporter(workspace: workspace, mapping: try mapping("hotline12345"), resolving: {
                counter.builds += 1
                return try Resolution(warehouse: workspace.warehouse)
            })
        }
        #expect(try importer().importFile(path, runID: nil).state == .loaded)
        #expect(counter.builds == 1)
        #expect(try importer().importFile(path, runID: nil).state == .alreadyLoaded)
        #expect(counter.builds == 1)
    }
}
