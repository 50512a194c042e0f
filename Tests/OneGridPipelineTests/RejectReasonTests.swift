import Foundation
import OneGridFeeds
import OneGridModel
import OneGridPipeline
import Testing

@Suite("Reject reasons are typed in code and stored as today's codes")
struct RejectReasonTests {
    @Test("every listed reason reads back from its code, and the codes are the stored ones")
    func codesRoundTrip() {
        for reason in RejectReason.listed { #expect(RejectReason(code: reason.code) == reason) }
        #expect(Set(RejectReason.listed.map(\.code)).count == RejectReason.listed.count)
        #expect([RejectReason.missingRequired, .unmappedValue, .shortRow, .schemaDrift].map(\.code)
                == ["missing_required", "unmapped_value", "short_row", "schema_drift"])
    }

    @Test("a code this build does not list is kept as it was, and equals only itself")
    func unlistedCode() throws {
        let reason = RejectReason(code: "invalid_numeral")
        #expect(reason == .other("invalid_numeral"))
        #expect(reason.code == "invalid_numeral")
        #expect(RejectReason.other("short_row") == .shortRow)
        #expect(reason != .invalidNumber)
        let json = try JSONEncoder().encode([reason, .raggedRow])
        #expect(String(decoding: json, as: UTF8.self) == #"["invalid_numeral","ragged_row"]"#)
        #expect(try JSONDecoder().decode([RejectReason].self, from: json) == [reason, .raggedRow])
    }

    @Test("the readers' problem codes are all listed reasons")
    func readProblemsAreListed() {
        let problems: [ReadProblem] = [
            .undecodableBytes(encoding: .utf8, byteOffset: 0), .invalidJSON(message: "", column: 1),
            .raggedRow(expected: 2, found: 3), .shortRow(expected: 3, found: 2, cutOff: false), .unterminatedQuote,
            .notAnObject(kind: "array"), .nulInValue(path: "a"), .duplicateKey(path: "a"), .recordTooLarge(limit: "x"),
        ]
        for problem in problems {
            #expect(RejectReason.listed.contains(RejectReason(code: problem.code)), "\(problem.code) is not listed")
        }
    }

    @Test("rejects are filtered by a typed reason and listed with it")
    func filteredByReason() throws {
        let (workspace, _) = try makeWorkspace()
        let folder = NSTemporaryDirectory() + "onegrid-reason-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/dlq_20200626.jsonl"
        try Data("[1]\n{\"a\":\"x\",\"a\":\"y\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        _ = try importFeed(workspace, "patrol", [path])
        let list = RejectList(workspace: workspace)
        #expect(try list.entries(limit: nil).map(\.reason) == [.notAnObject, .duplicateKey])
        #expect(try list.entries(reason: .duplicateKey).map(\.line) == [2])
        #expect(try list.entries(reason: RejectReason(code: "no_such_reason")).isEmpty)
    }
}
