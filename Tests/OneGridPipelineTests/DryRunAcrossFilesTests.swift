import Foundation
import OneGridCodecs
import OneGridModel
import OneGridPipeline
import Testing

/// A dry-run over several files predicts what importing them does, file by file (issue #12:
/// a second file's re-exported orders were predicted `new`, and import called them
/// `updated` / `unchanged`).
@Suite("Dry-run across files")
struct DryRunAcrossFilesTests {
    @Test func aDryRunOfSeveralFilesPredictsEachFilesImportCounts() throws {
        let hotline = files("hotline")
        #expect(hotline.count >= 2)
        let (predicting, _) = try makeWorkspace()
        let report = try DryRun(mapping: try mapping("hotline12345"), paths: predicting.paths).run(files: hotline)
        let (importing, _) = try makeWorkspace()
        let results = try importFeed(importing, "hotline12345", hotline)
        #expect(report.files.map(\.path) == results.map(\.path))
        #expect(report.files.map(\.counts) == results.map(\.counts))
        // The sample's later exports repeat earlier orders: the carried keys are what this proves.
        #expect(results.dropFirst().contains { $0.counts.updated + $0.counts.unchanged > 0 })
    }

    @Test func keysOfAFileThatWouldFailDoNotCarry() throws {
        let folder = NSTemporaryDirectory() + "onegrid-carry-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = try #require(files("hotline").first)
        let whole = try Data(contentsOf: URL(fileURLWithPath: source))
        // The same orders twice: first in a gzip file cut short (it fails whole once its
        // records have been read), then intact; the failing one's name sorts first.
        let failing = folder + "/12345_20200601.csv.gz", intact = folder + "/12345_20200602.csv"
        let zipped = folder + "/whole.gz"
        let sink = try GzipFileSink(path: zipped)
        try sink.write(Array(whole))
        try sink.close()
        let compressed = try Data(contentsOf: URL(fileURLWithPath: zipped))
        try compressed.prefix(compressed.count - 12).write(to: URL(fileURLWithPath: failing))
        try whole.write(to: URL(fileURLWithPath: intact))
        let (predicting, _) = try makeWorkspace()
        let report = try DryRun(mapping: try mapping("hotline12345"), paths: predicting.paths).run(files: [failing, intact])
        let (importing, _) = try makeWorkspace()
        let results = try importFeed(importing, "hotline12345", [failing, intact])
        #expect(results.map(\.state) == [.failed, .loaded])
        #expect(report.files[0].failure != nil)
        #expect(report.files[1].counts == results[1].counts)
        #expect(results[1].counts.updated + results[1].counts.unchanged == 0)
    }
}
