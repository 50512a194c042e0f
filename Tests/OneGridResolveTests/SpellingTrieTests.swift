import OneGridModel
import Testing
@testable import OneGridResolve

@Suite("Division spellings found in one walk of the text")
struct SpellingTrieTests {
    let g = TestRegistry.gazetteer

    @Test("every spelling beginning at a position, shortest first, none past the first character no spelling continues with")
    func matchesAtAPosition() {
        var trie = SpellingTrie()
        let a = Gazetteer.Alias(code: "320116", level: .district, isAbbreviation: true)
        let b = Gazetteer.Alias(code: "320116", level: .district, isAbbreviation: false)
        let c = Gazetteer.Alias(code: "320116006", level: .street, isAbbreviation: false)
        trie.insert(Array("六合"), [a])
        trie.insert(Array("六合区"), [b])
        trie.insert(Array("雄州街道"), [c])
        let text = Array("xx六合区雄州街道")
        #expect(trie.matches(in: text, at: 2).map(\.length) == [2, 3])
        #expect(trie.matches(in: text, at: 2).map { $0.entries.map(\.code) } == [["320116"], ["320116"]])
        #expect(trie.matches(in: text, at: 5).map(\.length) == [4])
        #expect(trie.matches(in: text, at: 0).isEmpty)
        #expect(trie.matches(in: Array("六"), at: 0).isEmpty)
        #expect(trie.matches(in: text, at: text.count).isEmpty)
    }

    @Test("the division memo gives what the gazetteer resolves, for repeated and varied triples", arguments: [
        ("六合", nil, nil), (nil, "雄州街道办事处", nil), (nil, "雄州", "桥西"), ("六合区", "雄州街道", "桥西社区居委会"),
        (nil, nil, nil), ("不存在区", "雄州", nil), (" 六合 ", nil, "大泉"),
    ] as [(String?, String?, String?)])
    func divisionMemo(_ t: (String?, String?, String?)) {
        let memo = DivisionMemo()
        let key = DivisionMemo.Key(district: t.0, street: t.1, community: t.2)
        let expected = g.resolve(district: t.0, street: t.1, community: t.2)
        for _ in 0..<2 {
            #expect(memo.path(key) { g.resolve(district: $0.district, street: $0.street, community: $0.community) } == expected)
        }
        #expect(memo.path(key) { _ in DivisionPath(districtCode: "999999") } == expected)
    }
}
