import Foundation
import OneGridMapping
import OneGridModel
import Testing

/// The crosswalk fallback as the mapper uses it: a category path missing from a feed's
/// crosswalk still lands on a class, and the analyst still sees it listed as unmapped.
@Suite("Crosswalk fallback in the mapper")
struct CrosswalkWiringTests {
    /// The 12345 quirks fixture's header and first order, with its category cell replaced.
    func mapped(category: String) throws -> MappedRecord {
        let lines = try String(contentsOfFile: root + "/Tests/Fixtures/hotline/quirks.csv", encoding: .utf8)
            .split(whereSeparator: \.isNewline)   // the fixture ends its lines with CRLF, one Character
        let row = try #require(lines.dropFirst().first).replacingOccurrences(of: "城乡建设/市容环卫/餐饮油烟", with: category)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/12345_20200623.csv"
        try (String(lines[0]) + "\n" + row + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return try #require(mapAll(root + "/Mappings/hotline12345.yaml", file).first)
    }

    @Test("a path missing from the crosswalk lands on the class its leaf names, and is listed as unmapped with the suggestion")
    func leafFallback() throws {
        guard case .event(let draft, let findings) = try mapped(category: "劳动保障>劳动关系>拖欠工资") else {
            Issue.record("not an event"); return
        }
        #expect(draft.category == "MD.02")
        let unmapped = findings.filter { $0.code == "unmapped_value" && $0.field == "category" }
        #expect(unmapped.count == 1)
        #expect(unmapped.first?.message.hasSuffix("suggested MD.02 (leaf, score 1.00)") == true)
    }

    @Test("a listed path is mapped exactly, with no finding")
    func exactPath() throws {
        guard case .event(let draft, let findings) = try mapped(category: "劳动社保>劳动关系>拖欠工资") else {
            Issue.record("not an event"); return
        }
        #expect(draft.category == "MD.02")
        #expect(!findings.contains { $0.field == "category" })
    }

    @Test("a path nothing matches stays without a class and is listed as unmapped")
    func noMatch() throws {
        guard case .event(let draft, let findings) = try mapped(category: "未知分类>杂项") else {
            Issue.record("not an event"); return
        }
        #expect(draft.category == nil)
        #expect(findings.contains { $0.code == "unmapped_value" && $0.field == "category" && !$0.message.contains("suggested") })
    }
}
