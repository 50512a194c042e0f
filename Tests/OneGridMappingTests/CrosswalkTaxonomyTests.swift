import Foundation
import OneGridMapping
import Testing

/// A category crosswalk names the taxonomy it points into, so its fallback by name holds
/// wherever it is used — also as a `first_of` branch, where the mapping compiler attaches no
/// taxonomy (issue #14: petition codes of another numbering, with a label beside them, were
/// all left without a category).
@Suite("Crosswalk's own taxonomy")
struct CrosswalkTaxonomyTests {
    @Test("each shipped category crosswalk loads the taxonomy beside it", arguments: ["hotline12345", "patrol", "petition", "citymgmt"])
    func shipped(name: String) throws {
        let c = try Crosswalk(path: root + "/Mappings/codes/\(name)-categories.yaml")
        #expect(c.taxonomy?.path == root + "/Mappings/codes/categories.yaml")
    }

    @Test("a petition label missing from the table falls back by name with no compiler involved")
    func labelFallback() throws {
        let c = try Crosswalk(path: root + "/Mappings/codes/petition-categories.yaml")
        #expect(c.resolve("社会事务/邻里矛盾") == CrosswalkMatch(code: "MD.01", level: .leaf, score: 0.95, isSuggestion: true,
                                                             matched: "邻里矛盾", term: "邻里纠纷"))
        // A code of another numbering is no word: it stays unknown, and the label is tried next.
        #expect(c.resolve("3101") == CrosswalkMatch(code: nil, level: .none))
    }

    @Test("taxonomy names a file beside the crosswalk, nothing else")
    func siblingOnly() {
        for name in ["../categories.yaml", "/etc/passwd", "..", ""] {
            let path = temporaryYAML("cw-tax.yaml", "taxonomy: \"\(name)\"\nentries:\n  a: CG.01\n")
            #expect(throws: MappingError.self, "\(name)") { _ = try Crosswalk(path: path) }
        }
    }

    @Test("a missing or broken taxonomy is reported at the crosswalk's taxonomy key")
    func missing() {
        let path = temporaryYAML("cw-tax2.yaml", "taxonomy: no-such-taxonomy.yaml\nentries:\n  a: CG.01\n")
        do {
            _ = try Crosswalk(path: path)
            Issue.record("loaded")
        } catch {
            #expect(error.file == path && error.line == 1 && error.keyPath == "taxonomy")
            #expect(error.message.hasPrefix("taxonomy no-such-taxonomy.yaml: "))
        }
    }
}
