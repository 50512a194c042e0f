import Foundation
import OneGridMapping
import Testing

/// Issue #14: a department's wording missing from every crosswalk still finds its class when it
/// differs from a name only by words departments swap (`morphemes` in categories.yaml), or shares
/// the leading word of one class's terms; ties are settled by what the taxonomy declares.
@Suite("Category suggestions across wording habits")
struct MorphemeFamilyTests {
    @Test("a wording equal to a term once family words are read alike scores 0.95", arguments: [
        ("家庭争执", "MD.05", "家庭纠纷"),
        ("人行道损毁", "CG.04", "人行道破损"),
        ("劳资矛盾", "MD.02", "劳资纠纷"),
        ("拖欠工钱", "MD.02", "拖欠工资"),
    ])
    func familyVariant(wording: String, code: String, term: String) throws {
        let t = try taxonomy.get()
        #expect(t.suggest(wording) == CategoryTaxonomy.Suggestion(code: code, score: 0.95, term: term))
    }

    @Test("a wording sharing a two-character leading word with one class's terms only reaches the bar")
    func leadingWord() throws {
        let t = try taxonomy.get()
        #expect(t.suggest("燃气表故障") == CategoryTaxonomy.Suggestion(code: "AQ.02", score: 0.6, term: "燃气安全"))
        // 交通 leads terms of AQ.05 (交通安全) and HB.02 (交通噪声), which are not declared related.
        #expect(t.suggest("交通出行") == nil)
    }

    @Test("a specific class tied with its domain's catch-all wins")
    func catchAllLosesTies() throws {
        let t = try taxonomy.get()
        // 消防安全 (AQ.01) and 安全隐患 (AQ.99) both cover four of six characters.
        #expect(t.suggest("消防安全隐患") == CategoryTaxonomy.Suggestion(code: "AQ.01", score: 0.8 + 0.2 * 4 / 6, term: "消防安全"))
    }

    @Test("a tie between declared-related classes takes the one the wording names first")
    func relatedTie() throws {
        let t = try taxonomy.get()
        #expect(t.areRelated("HB.02", "ZA.02"))
        #expect(t.suggest("施工噪音扰民") == CategoryTaxonomy.Suggestion(code: "HB.02", score: 0.8 + 0.2 * 4 / 6, term: "施工噪声"))
    }

    @Test("a word listed in two families is refused")
    func wordInTwoFamilies() {
        let path = temporaryYAML("fam1.yaml", "domains:\n  - code: MD\n    name: 矛盾纠纷\n    classes:\n      - {code: MD.01, name: 邻里纠纷}\nmorphemes:\n  - [纠纷, 矛盾]\n  - [争议, 矛盾]\n")
        #expect(throws: MappingError.self) { _ = try CategoryTaxonomy(path: path) }
        #expect(message(path).contains("'矛盾' is in morpheme families 0 and 1"))
    }

    @Test("a family that makes two classes' terms equal is refused")
    func familyMergesClasses() {
        let path = temporaryYAML("fam2.yaml", "domains:\n  - code: CG\n    name: 城市管理\n    classes:\n      - {code: CG.02, name: 违章建筑}\n      - {code: CG.05, name: 违法建筑}\nmorphemes:\n  - [违法, 违章]\n")
        #expect(message(path).contains("differ only by words of one morpheme family but name CG.05 and CG.02"))
    }

    @Test("a family of one word, or of one-character words, is refused")
    func shortFamily() {
        let one = temporaryYAML("fam3.yaml", "domains:\n  - code: MD\n    name: 矛盾纠纷\nmorphemes:\n  - [纠纷]\n")
        #expect(message(one).contains("two or more words of two or more characters"))
        let short = temporaryYAML("fam4.yaml", "domains:\n  - code: MD\n    name: 矛盾纠纷\nmorphemes:\n  - [坏, 破]\n")
        #expect(message(short).contains("two or more words of two or more characters"))
    }

    @Test("the shipped taxonomy holds no synonym that only the held-out sample's vocabulary uses")
    func noHeldOutSynonyms() throws {
        let t = try taxonomy.get()
        let words = t.entries.flatMap { [$0.name] + $0.synonyms }
        // Wordings of `onegrid sample --variant held-out` that the tuned sources never use.
        for heldOut in ["邻里矛盾", "物业矛盾", "劳资矛盾", "油烟扰民", "出店经营", "欠薪", "讨薪", "治安问题", "路面破损", "道路损坏", "治安防范"] {
            #expect(!words.contains(heldOut), "\(heldOut)")
        }
    }

    @Test("held-out style hotline paths land through the leaf level", arguments: [
        ("交通出行>道路损坏", "CG.04", 0.95, "道路损坏", "道路破损"),
        ("公安>治安防范", "ZA.01", 0.6, "治安防范", "治安隐患"),
    ])
    func crosswalkLeaf(path: String, code: String, score: Double, matched: String, term: String) throws {
        let c = try categoryCrosswalk("hotline12345-categories.yaml")
        #expect(c.resolve(path) == CrosswalkMatch(code: code, level: .leaf, score: score, isSuggestion: true, matched: matched, term: term))
    }

    private func message(_ path: String) -> String {
        do { _ = try CategoryTaxonomy(path: path); return "" } catch { return error.message }
    }
}
