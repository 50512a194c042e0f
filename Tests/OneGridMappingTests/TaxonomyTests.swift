import Foundation
import OneGridMapping
import Testing

@Suite("Category taxonomy")
struct TaxonomyTests {
    @Test("the shipped taxonomy: 7 domains, 45 classes, synonyms and related pairs")
    func shipped() throws {
        let t = try taxonomy.get()
        #expect(t.entries.filter { $0.level == 1 }.map(\.code) == ["DJ", "MD", "ZA", "AQ", "CG", "HB", "MS"])
        #expect(t.entries.filter { $0.level == 2 }.count == 45)
        #expect(t.entry("MD.02")?.synonyms.contains("拖欠工资") == true)
        #expect(t.related.count == 22)
        #expect(t.related.allSatisfy { $0.why?.isEmpty == false })
    }

    @Test("related pairs hold in both orders, and nothing else is related")
    func related() throws {
        let t = try taxonomy.get()
        #expect(t.areRelated("CG.01", "CG.03") && t.areRelated("CG.03", "CG.01"))
        #expect(t.areRelated("MD.02", "MS.02") && t.areRelated("MD.02", "ZA.04"))
        #expect(!t.areRelated("CG.01", "MD.02"))
        #expect(!t.areRelated("CG.01", "CG.01"))
        #expect(t.relatedCodes["MD.02"] == ["MS.02", "ZA.04"])
    }

    @Test("every code a shipped crosswalk names is in the taxonomy")
    func crosswalkTargets() throws {
        let t = try taxonomy.get()
        for name in ["hotline12345", "patrol", "petition", "citymgmt"] {
            let c = try Crosswalk(path: root + "/Mappings/codes/\(name)-categories.yaml")
            #expect(c.targets.filter { !t.contains($0) }.isEmpty, "\(name)")
        }
    }

    @Test("the older file form (no synonyms, no related) still loads")
    func backwardCompatible() throws {
        let path = temporaryYAML("old.yaml", "description: old\ndomains:\n  - code: CG\n    name: 城市管理\n    classes:\n      - {code: CG.01, name: 占道经营}\n")
        let t = try CategoryTaxonomy(path: path)
        #expect(t.entries.map(\.code) == ["CG", "CG.01"])
        #expect(t.related.isEmpty && t.entries[1].synonyms.isEmpty)
        #expect(t.suggest("占道经营") == CategoryTaxonomy.Suggestion(code: "CG.01", score: 1, term: "占道经营"))
    }

    @Test("a wording may name one class only")
    func ambiguousSynonym() {
        let path = temporaryYAML("amb.yaml", "domains:\n  - code: CG\n    name: 城市管理\n    classes:\n      - {code: CG.01, name: 占道经营, synonyms: [摊贩]}\n      - {code: CG.03, name: 市容环卫, synonyms: [摊贩]}\n")
        #expect(throws: MappingError(file: path, line: 6, keyPath: "domains[0].classes[1]", message: "'摊贩' names both CG.01 and CG.03: a wording names one class only")) {
            _ = try CategoryTaxonomy(path: path)
        }
    }

    @Test("a related pair must name two known codes")
    func badPair() {
        let head = "domains:\n  - code: CG\n    name: 城市管理\n    classes:\n      - {code: CG.01, name: 占道经营}\n"
        let unknown = temporaryYAML("p1.yaml", head + "related:\n  - {pair: [CG.01, CG.77]}\n")
        #expect(throws: MappingError(file: unknown, line: 7, keyPath: "related[0].pair", message: "related code CG.77 is not in the taxonomy")) {
            _ = try CategoryTaxonomy(path: unknown)
        }
        let same = temporaryYAML("p2.yaml", head + "related:\n  - {pair: [CG.01, CG.01]}\n")
        #expect(throws: MappingError(file: same, line: 7, keyPath: "related[0].pair", message: "a related pair names two different codes")) {
            _ = try CategoryTaxonomy(path: same)
        }
    }

    @Test("suggestions: equal, contained, similar, generic, too far")
    func suggestions() throws {
        let t = try taxonomy.get()
        #expect(t.suggest("工资拖欠") == CategoryTaxonomy.Suggestion(code: "MD.02", score: 1, term: "工资拖欠"))
        #expect(t.suggest("工资 拖欠")?.code == "MD.02") // spaces folded
        #expect(t.suggest("ＭＤ拖欠工资")?.code == "MD.02") // full-width folded: contains 拖欠工资
        // 工钱 is of 工资's family (`morphemes`): equal to 拖欠工资 read alike.
        #expect(t.suggest("拖欠工钱") == CategoryTaxonomy.Suggestion(code: "MD.02", score: 0.95, term: "拖欠工资"))
        #expect(t.suggest("其他") == nil)
        #expect(t.suggest("拖欠物业费")?.code == "MD.03")
        #expect(t.suggest("门票") == nil)
    }
}
