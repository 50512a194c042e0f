import Foundation
import OneGridMapping
import Testing

let taxonomy = Result { try CategoryTaxonomy(path: root + "/Mappings/codes/categories.yaml") }

/// A crosswalk of `Mappings/codes/` with the taxonomy attached, as the compiler attaches it.
func categoryCrosswalk(_ name: String) throws -> Crosswalk {
    var c = try Crosswalk(path: root + "/Mappings/codes/" + name)
    c.taxonomy = try taxonomy.get()
    return c
}

/// One source path and how the fallback must resolve it.
struct FallbackCase: CustomTestStringConvertible, Sendable {
    var crosswalk: String
    var path: String
    var expected: CrosswalkMatch
    var testDescription: String { "\(crosswalk): \(path) → \(expected.level) \(expected.code ?? "-")" }
}

let fallbackCases: [FallbackCase] = [
    .init(crosswalk: "hotline12345-categories.yaml", path: "城乡建设>市容环卫>占道经营",
          expected: CrosswalkMatch(code: "CG.01", level: .exact)),
    .init(crosswalk: "hotline12345-categories.yaml", path: "城乡建设/物业管理/物业服务",
          expected: CrosswalkMatch(code: "MD.03", level: .parent)),
    // The issue's two real-data paths: no listed prefix, the leaf names the class.
    .init(crosswalk: "hotline12345-categories.yaml", path: "劳动保障>劳动关系>拖欠工资",
          expected: CrosswalkMatch(code: "MD.02", level: .leaf, score: 1, isSuggestion: true, matched: "拖欠工资", term: "拖欠工资")),
    .init(crosswalk: "hotline12345-categories.yaml", path: "市政设施>路灯损坏",
          expected: CrosswalkMatch(code: "CG.07", level: .leaf, score: 0.9, isSuggestion: true, matched: "路灯损坏", term: "路灯")),
    // A catch-all parent gives way to a class of its own domain named by the leaf…
    .init(crosswalk: "hotline12345-categories.yaml", path: "城乡建设>市政设施>路灯损坏",
          expected: CrosswalkMatch(code: "CG.07", level: .leaf, score: 0.9, isSuggestion: true, matched: "路灯损坏", term: "路灯")),
    // …but stays when the leaf names nothing close enough (光污染 vs 水污染: 0.5).
    .init(crosswalk: "hotline12345-categories.yaml", path: "环境保护>光污染",
          expected: CrosswalkMatch(code: "HB.99", level: .parent)),
    // …or names a class of another domain (the department's own top level decides the domain).
    .init(crosswalk: "hotline12345-categories.yaml", path: "城乡建设>燃气泄漏",
          expected: CrosswalkMatch(code: "CG.99", level: .parent)),
    // A generic leaf says nothing: the segment above it is tried.
    .init(crosswalk: "hotline12345-categories.yaml", path: "劳动保障>其他",
          expected: CrosswalkMatch(code: "MS.02", level: .leaf, score: 1, isSuggestion: true, matched: "劳动保障", term: "劳动保障")),
    .init(crosswalk: "hotline12345-categories.yaml", path: "旅游文化>景区门票",
          expected: CrosswalkMatch(code: nil, level: .none)),
    .init(crosswalk: "patrol-categories.yaml", path: "市容秩序>流动摊贩占道",
          expected: CrosswalkMatch(code: "CG.01", level: .leaf, score: 0.8 + 0.2 * 4 / 6, isSuggestion: true, matched: "流动摊贩占道", term: "流动摊贩")),
    .init(crosswalk: "petition-categories.yaml", path: "劳动社保/拖欠工资",
          expected: CrosswalkMatch(code: "MD.02", level: .exact)),
    // Digital city management's codes are no words: a code missing from the table stays unknown.
    .init(crosswalk: "citymgmt-categories.yaml", path: "扩展>21>07",
          expected: CrosswalkMatch(code: nil, level: .none)),
    .init(crosswalk: "citymgmt-categories.yaml", path: "事件>01>99",
          expected: CrosswalkMatch(code: "CG.03", level: .parent)),
]

@Suite("Crosswalk fallback")
struct CrosswalkFallbackTests {
    @Test("each level of the fallback", arguments: fallbackCases)
    func level(_ c: FallbackCase) throws {
        let found = try categoryCrosswalk(c.crosswalk).resolve(c.path)
        #expect(found.code == c.expected.code)
        #expect(found.level == c.expected.level)
        #expect(found.isSuggestion == c.expected.isSuggestion)
        #expect(found.matched == c.expected.matched && found.term == c.expected.term)
        if let score = c.expected.score { #expect(abs((found.score ?? -1) - score) < 1e-9, "\(found.score ?? -1)") } else { #expect(found.score == nil) }
        #expect(found.isUnmapped == (c.expected.level == .none || c.expected.isSuggestion))
    }

    @Test("under match: exact a listed parent is only a suggestion")
    func exactTableParent() throws {
        let path = temporaryYAML("exact.yaml", "match: exact\nseparators: ['-']\nentries:\n  环保-油烟: HB.01\n")
        var c = try Crosswalk(path: path)
        c.taxonomy = try taxonomy.get()
        #expect(c.resolve("环保-油烟-夜间") == CrosswalkMatch(code: "HB.01", level: .parent, isSuggestion: true))
        #expect(c.lookup("环保-油烟-夜间") == nil)
    }

    @Test("without a taxonomy there is no leaf level")
    func noTaxonomy() throws {
        // The shipped tables name their taxonomy (`taxonomy: categories.yaml`): taken away here.
        var c = try Crosswalk(path: root + "/Mappings/codes/hotline12345-categories.yaml")
        c.taxonomy = nil
        #expect(c.resolve("劳动保障>劳动关系>拖欠工资") == CrosswalkMatch(code: nil, level: .none))
    }

    @Test("every category the tuned sample writes resolves exactly as the listed lookup does, never as a suggestion")
    func tunedSampleUnchanged() throws {
        let written = [
            "hotline12345-categories.yaml": [
                "城乡建设>市容环卫>餐饮油烟", "劳动社保>劳动关系>拖欠工资", "公共安全>消防安全>消防通道堵塞", "城乡建设>市容环卫>占道经营",
                "城乡建设>物业管理>物业服务", "环境保护>噪声污染>施工噪声", "城乡建设>市容环卫>垃圾清运", "交通运输>道路管理>道路破损",
                "社会管理>邻里关系>邻里纠纷", "城乡建设>供水供电>停水", "公共安全>社会治安>治安隐患", "公共安全>燃气安全>燃气泄漏",
                "劳动社保/劳动关系/拖欠工资", "城乡建设-市容环卫-餐饮油烟",
            ],
            "patrol-categories.yaml": [
                "环境保护>餐饮油烟", "矛盾纠纷>劳资纠纷", "安全隐患>消防通道堵塞", "城市管理>占道经营", "矛盾纠纷>物业纠纷", "环境保护>施工噪声",
                "环境卫生>暴露垃圾", "城市管理>道路破损", "矛盾纠纷>邻里纠纷", "民生服务>供水供电", "治安隐患>可疑人员", "安全隐患>燃气隐患",
            ],
            "petition-categories.yaml": [
                "1102", "0305", "1401", "0810", "0812", "1103", "0811", "0901", "1601", "0815", "1502", "1402",
                "环境保护/油烟污染", "劳动社保/拖欠工资", "公共安全/消防安全", "城乡建设/市容管理", "城乡建设/物业管理", "环境保护/噪声污染",
                "城乡建设/环境卫生", "交通运输/道路设施", "社会管理/邻里纠纷", "城乡建设/供水供电", "政法/社会治安", "公共安全/燃气安全",
            ],
        ]
        for (table, paths) in written {
            let c = try categoryCrosswalk(table)
            for p in paths {
                let found = c.resolve(p)
                #expect(found.code != nil && found.code == c.lookup(p) && !found.isSuggestion && found.level != .leaf, "\(table) \(p)")
            }
        }
    }
}

@Suite("Crosswalk files")
struct CrosswalkFileTests {
    @Test("an error names the crosswalk's line and key")
    func lineInError() {
        let path = temporaryYAML("cw.yaml", "description: test\nmatch: fuzzy\nentries:\n  a: HB.01\n")
        #expect(throws: MappingError(file: path, line: 2, keyPath: "match", message: "match is exact or prefix")) {
            _ = try Crosswalk(path: path)
        }
    }

    @Test("one path listed twice with two codes (through equivalent separators) is refused at the second")
    func conflictingEntries() {
        let path = temporaryYAML("cw2.yaml", "match: prefix\nseparators: ['>', '/']\nentries:\n  城乡建设>市容环卫: CG.03\n  城乡建设/市容环卫: CG.01\n")
        #expect(throws: MappingError(file: path, line: 5, keyPath: "entries.城乡建设/市容环卫", message: "'城乡建设/市容环卫' is listed twice, with CG.03 and CG.01")) {
            _ = try Crosswalk(path: path)
        }
    }

    @Test("an alias bomb in a crosswalk is refused")
    func bomb() {
        let path = temporaryYAML("cw3.yaml", billionLaughs)
        #expect(throws: MappingError.self) { _ = try Crosswalk(path: path) }
    }

    @Test("a missing crosswalk says so")
    func missing() {
        #expect(throws: MappingError(file: "/no/such/cw.yaml", line: 0, keyPath: "", message: "crosswalk file not found")) {
            _ = try Crosswalk(path: "/no/such/cw.yaml")
        }
    }
}
