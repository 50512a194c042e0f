import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import OneGridPipeline
import Testing

/// A file in a fresh temporary folder, for inputs built by the test itself.
private func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let folder = NSTemporaryDirectory() + "onegrid-shape-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// A copy of Mappings/ with one line of a feed's mapping replaced (the taxonomy and
/// crosswalk paths stay relative to it).
private func editedMapping(_ feed: String, replacing old: String, with new: String) throws -> Mapping {
    let folder = NSTemporaryDirectory() + "onegrid-mappings-" + UUID().uuidString
    try FileManager.default.copyItem(atPath: mappingsFolder, toPath: folder)
    let path = folder + "/\(feed).yaml"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let edited = text.replacingOccurrences(of: old, with: new)
    precondition(edited != text)
    try edited.write(toFile: path, atomically: true, encoding: .utf8)
    return try Mapping.load(path: path)
}

/// A hotline export with one good order, a ragged row (a comma inside the address), a
/// short row, the 合计 footer (short too) and a last row cut off by the end of the file.
private let damagedHotline = """
    工单编号,受理时间,事发地址,工单状态
    K1,2020-06-26 08:00,学海路1号,已办结
    K3,2020-06-26 09:00,学海路98号,对面,
    K4,2020-06-26 10:00,学海路5号
    合计：3条
    K5,2020-06-26 11:00
    """

@Suite("Records the reader rejects for their shape or content reach the rejects table")
struct ShapeRejectTests {
    @Test("ragged and short rows are rejected with their raw bytes; the footer stays skipped")
    func shapeRejectsByDefault() throws {
        let (workspace, _) = try makeWorkspace()
        let path = try temporaryFile("12345_20200626.csv", Array(damagedHotline.utf8))
        let result = try importFeed(workspace, "hotline12345", [path])[0]
        #expect(result.state == .loaded)
        #expect([result.counts.read, result.counts.new, result.counts.rejected, result.counts.skipped] as [Int] == [5, 1, 3, 1])
        let rejects = try RejectList(workspace: workspace).entries(limit: nil)
        #expect(rejects.map(\.reason) == [.raggedRow, .shortRow, .shortRow])
        #expect(rejects.map(\.line) == [3, 4, 6])
        #expect(rejects.map(\.raw) == ["K3,2020-06-26 09:00,学海路98号,对面,", "K4,2020-06-26 10:00,学海路5号", "K5,2020-06-26 11:00"])
        #expect(rejects[2].message == "the last row has 2 cells, the header has 4: the file is cut off inside it")
    }

    @Test("schema short_rows: pad loads a short row padded, still rejects the cut-off last row, and the dry-run counts it")
    func paddedShortRows() throws {
        let padding = try editedMapping("hotline12345", replacing: "  missing_required: fail\n",
                                        with: "  missing_required: fail\n  short_rows: pad\n")
        #expect(padding.readOptions.shortRows == .pad)
        let (workspace, _) = try makeWorkspace()
        let path = try temporaryFile("12345_20200626.csv", Array(damagedHotline.utf8))
        try checkpoint(workspace)
        let predicted = try DryRun(mapping: padding, paths: workspace.paths).run(files: [path])
        // K4 and the footer are padded (the footer is then skipped); the cut-off K5 is not.
        #expect(predicted.files[0].paddedRows == 2)
        #expect(DryRunText.render(predicted).contains("2 short rows padded with empty cells"))
        let result = try ImportJob(workspace: workspace, mapping: padding).run(files: [path], force: false, command: "test")[0]
        #expect([result.counts.read, result.counts.new, result.counts.rejected, result.counts.skipped] as [Int] == [5, 2, 2, 1])
        #expect(try RejectList(workspace: workspace).entries(limit: nil).map(\.reason) == [.raggedRow, .shortRow])
    }

    @Test("a mapping refuses an unknown short_rows policy")
    func unknownPolicy() throws {
        #expect(throws: MappingError.self) {
            _ = try editedMapping("hotline12345", replacing: "  missing_required: fail\n",
                                  with: "  missing_required: fail\n  short_rows: hand_on\n")
        }
    }

    @Test("JSON Lines records that are not objects, hold a NUL, repeat a key or pass a limit are rejected with their first bytes")
    func jsonLinesRejects() throws {
        let good = try String(contentsOfFile: files("patrol")[0], encoding: .utf8).split(separator: "\n")[0]
        let huge = "{\"ticket_id\":\"BIG\",\"description\":\"" + String(repeating: "x", count: 1_100_000) + "\"}"
        let lines = [String(good),
                     #"[{"ticket_id":"A1"},{"ticket_id":"A2"}]"#,
                     #"{"ticket_id":"T\u0000A","reported_at":"2020-06-23T13:56:11+08:00"}"#,
                     #"{"ticket_id":"D1","ticket_id":"D2"}"#,
                     huge]
        let (workspace, _) = try makeWorkspace()
        let path = try temporaryFile("dlq_20200626.jsonl", Array((lines.joined(separator: "\n") + "\n").utf8))
        let result = try importFeed(workspace, "patrol", [path])[0]
        #expect(result.state == .loaded)
        #expect([result.counts.read, result.counts.new, result.counts.rejected] as [Int] == [5, 1, 4])
        let rejects = try RejectList(workspace: workspace).entries(limit: nil)
        #expect(rejects.map(\.reason) == [.notAnObject, .nulInValue, .duplicateKey, .recordTooLarge])
        #expect(rejects.map(\.line) == [2, 3, 4, 5])
        #expect(Array(rejects.prefix(3)).map(\.raw) == Array(lines[1...3]))
        #expect(rejects[3].raw.utf8.count == RecordLimits().keptRawBytes)
        #expect(huge.hasPrefix(rejects[3].raw))
    }
}
