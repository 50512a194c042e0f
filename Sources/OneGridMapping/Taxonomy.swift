import Foundation
import OneGridModel

/// The unified category taxonomy (`Mappings/codes/categories.yaml`): domains and classes with
/// their codes, names and the wordings departments use for them (`synonyms`), and the pairs
/// of classes that name one matter across departments (`related`).
public struct CategoryTaxonomy: Sendable {
    /// One node of the taxonomy: a domain (level 1, e.g. `CG`) or a class (level 2, `CG.01`).
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var name: String
        public var parentCode: String?
        public var level: Int
        /// Other wordings of the same node, as departments write them.
        public var synonyms: [String] = []
    }

    /// Two codes the taxonomy declares to name one matter, and why.
    public struct Relation: Sendable, Hashable {
        public var codes: [String]
        public var why: String?
    }

    /// A class (or domain) suggested for a department's wording.
    public struct Suggestion: Sendable, Equatable {
        public var code: String
        /// 1 for a name or synonym equal to the wording; below 1 by similarity.
        public var score: Double
        /// The taxonomy's name or synonym that matched.
        public var term: String

        public init(code: String, score: Double, term: String) {
            self.code = code
            self.score = score
            self.term = term
        }
    }

    public let entries: [Entry]
    public let related: [Relation]
    /// Families of words departments swap in category names (纠纷 / 矛盾, 破损 / 损坏): a
    /// wording is compared with the taxonomy's terms as if each word were its family's first.
    public let morphemes: [[String]]
    public let path: String
    public let bytes: [UInt8]
    let index: TermIndex

    /// The lowest similarity score a suggestion is made at: a wording sharing half its
    /// character pairs with a name is not enough (拖欠物业费 vs 拖欠工资 scores 0.36).
    public static let minimumScore = 0.6

    public func contains(_ code: String) -> Bool { entries.contains { $0.code == code } }

    public func entry(_ code: String) -> Entry? { entries.first { $0.code == code } }

    /// Whether the two codes are declared related (in either order).
    public func areRelated(_ a: String, _ b: String) -> Bool {
        relatedCodes[a]?.contains(b) ?? false
    }

    /// Every code's related codes, both directions: the plain form the incident rules take
    /// (OneGridResolve does not import Mapping).
    public var relatedCodes: [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for r in related {
            out[r.codes[0], default: []].insert(r.codes[1])
            out[r.codes[1], default: []].insert(r.codes[0])
        }
        return out
    }

    /// A domain code, or a domain's catch-all class (`X.99`): matched to anything of the domain.
    public func isCatchAll(_ code: String) -> Bool {
        !code.contains(".") || code.hasSuffix(".99")
    }

    /// The domain a code belongs to (`CG.01` → `CG`).
    public static func domain(of code: String) -> String {
        String(code.prefix { $0 != "." })
    }

    /// The class or domain whose name or synonym best matches `wording` (a category path's
    /// segment): equal first (score 1); then equal once the words of one `morphemes` family
    /// are read alike (邻里矛盾 = 邻里纠纷: 0.95); then by similarity of those forms, at least
    /// `minimumScore`. Generic wordings (其他, 综合…) suggest nothing. Among equally good
    /// terms a specific class wins over its domain's catch-all; classes of one domain suggest
    /// the domain; declared-related classes the one whose term comes first in the wording;
    /// anything else nothing.
    public func suggest(_ wording: String) -> Suggestion? {
        let raw = TermIndex.normalise(wording)
        guard raw.count >= 2, !TermIndex.generic.contains(raw) else { return nil }
        if let exact = index.exact[raw] { return Suggestion(code: exact.code, score: 1, term: exact.term) }
        let text = index.canonical(raw)
        guard !TermIndex.generic.contains(text) else { return nil }
        if let variant = index.exactCanonical[text] {
            return Suggestion(code: variant.code, score: TermIndex.familyVariantScore, term: variant.term)
        }
        var best: [TermIndex.Term] = []
        var bestScore = 0.0
        let bigrams = CharacterBigrams(text)
        for term in index.terms {
            let score = TermIndex.similarity(text, bigrams, term.canonical, term.bigrams)
            if score > bestScore + 1e-9 {
                bestScore = score
                best = [term]
            } else if abs(score - bestScore) <= 1e-9 {
                best.append(term)
            }
        }
        guard bestScore >= Self.minimumScore, !best.isEmpty else { return nil }
        // A catch-all (X.99, a domain) says only the domain: a specific class tied with it wins.
        let specific = best.filter { !isCatchAll($0.code) }
        let tied = specific.isEmpty ? best : specific
        let codes = Set(tied.map(\.code))
        if codes.count == 1 { return Suggestion(code: tied[0].code, score: bestScore, term: tied[0].term) }
        let domains = Set(codes.map(Self.domain(of:)))
        if domains.count == 1, let domain = domains.first {
            return Suggestion(code: domain, score: bestScore, term: tied[0].term)
        }
        // Classes the taxonomy declares one matter (施工噪音扰民: 施工噪音 HB.02, 噪音扰民 ZA.02)
        // join each other's reports whichever is taken: the one the wording names first.
        let all = Array(codes)
        let pairwiseRelated = all.indices.allSatisfy { i in all.indices.allSatisfy { j in i == j || areRelated(all[i], all[j]) } }
        guard pairwiseRelated else { return nil }
        let first = tied.min { a, b in
            let pa = text.range(of: a.canonical).map { text.distance(from: text.startIndex, to: $0.lowerBound) } ?? Int.max
            let pb = text.range(of: b.canonical).map { text.distance(from: text.startIndex, to: $0.lowerBound) } ?? Int.max
            return (pa, a.code) < (pb, b.code)
        }!
        return Suggestion(code: first.code, score: bestScore, term: first.term)
    }

    public init(path: String) throws(MappingError) {
        let document = try YAMLDocument.load(path: path, kind: "taxonomy")
        self.path = path
        bytes = document.bytes
        guard let root = document.root else { throw MappingError(file: path, line: 1, keyPath: "", message: "empty taxonomy") }
        var entries: [Entry] = []
        var lines: [String: YAMLCursor] = [:]
        var relationNodes: [YAMLCursor] = []
        var familyNode: YAMLCursor?
        for (key, value) in try root.entries(allowed: ["description", "domains", "related", "morphemes"]) {
            switch key {
            case "domains":
                for domain in try value.items() {
                    let (entry, classes) = try Self.entry(domain, parent: nil, allowed: ["code", "name", "synonyms", "classes"])
                    guard !entry.code.isEmpty, !entry.code.contains(".") else { throw domain.error("a domain code is letters without '.'") }
                    entries.append(entry)
                    lines[entry.code] = domain
                    for cls in classes {
                        let (c, _) = try Self.entry(cls, parent: entry.code, allowed: ["code", "name", "synonyms"])
                        guard c.code.hasPrefix(entry.code + "."), c.code.count > entry.code.count + 1 else {
                            throw cls.error("class code \(c.code) must start with \(entry.code).")
                        }
                        entries.append(c)
                        lines[c.code] = cls
                    }
                }
            case "related": relationNodes = try value.items()
            case "morphemes": familyNode = value
            default: _ = try value.string()
            }
        }
        var seenCodes: Set<String> = []
        for e in entries {
            guard seenCodes.insert(e.code).inserted else { throw lines[e.code]!.error("code \(e.code) is listed twice") }
        }
        var related: [Relation] = []
        var seenPairs: Set<Set<String>> = []
        for node in relationNodes {
            var codes: [String] = []
            var why: String?
            var pairNode = node
            for (k, v) in try node.entries(allowed: ["pair", "why"]) {
                if k == "pair" { codes = try v.strings(); pairNode = v } else { why = try v.string() }
            }
            guard codes.count == 2, codes[0] != codes[1] else { throw pairNode.error("a related pair names two different codes") }
            for code in codes where !seenCodes.contains(code) { throw pairNode.error("related code \(code) is not in the taxonomy") }
            guard seenPairs.insert(Set(codes)).inserted else { throw pairNode.error("this pair is listed twice") }
            related.append(Relation(codes: codes, why: why))
        }
        var families: [[String]] = []
        if let familyNode {
            var seenWords: [String: Int] = [:]
            for (i, item) in try familyNode.items().enumerated() {
                let words = try item.strings().map(TermIndex.normalise)
                guard words.count >= 2, words.allSatisfy({ $0.count >= 2 }) else {
                    throw item.error("a morpheme family lists two or more words of two or more characters")
                }
                for w in words {
                    if let other = seenWords[w] { throw item.error("'\(w)' is in morpheme families \(other) and \(i): a word belongs to one family") }
                    seenWords[w] = i
                }
                families.append(words)
            }
        }
        self.entries = entries
        self.related = related
        self.morphemes = families
        index = try TermIndex(entries: entries, lines: lines, families: families)
    }

    private static func entry(_ node: YAMLCursor, parent: String?, allowed: Set<String>) throws(MappingError) -> (Entry, [YAMLCursor]) {
        var entry = Entry(code: "", name: "", parentCode: parent, level: parent == nil ? 1 : 2)
        var classes: [YAMLCursor] = []
        for (k, v) in try node.entries(allowed: allowed) {
            switch k {
            case "code": entry.code = try v.string()
            case "name": entry.name = try v.string()
            case "synonyms": entry.synonyms = try v.strings()
            default: classes = try v.items()
            }
        }
        guard !entry.code.isEmpty, !entry.name.isEmpty else { throw node.error("every domain and class has a code and a name") }
        return (entry, classes)
    }
}

/// Names and synonyms of the taxonomy, prepared for matching a department's wording.
struct TermIndex: Sendable {
    struct Term: Sendable {
        var code: String
        /// The name or synonym as the taxonomy writes it (normalised).
        var term: String
        /// The same with each morpheme family's words read as the family's first.
        var canonical: String
        var bigrams: CharacterBigrams
    }
    var terms: [Term] = []
    var exact: [String: (code: String, term: String)] = [:]
    var exactCanonical: [String: (code: String, term: String)] = [:]
    /// Every family word and the word it is read as, longest first.
    var replacements: [(word: [Character], canonical: String)] = []

    /// The score of a wording equal to a term once family words are read alike: below an
    /// equal wording (1), above any containment (at most 0.8 + 0.2 × (n−1)/n).
    static let familyVariantScore = 0.95

    /// Wordings that name no matter of their own: a path ending in them says nothing.
    static let generic: Set<String> = ["其他", "其它", "综合", "其他问题", "其它问题", "其他事项", "其他类", "投诉", "咨询", "建议", "求助", "举报", "问题"]

    init(entries: [CategoryTaxonomy.Entry], lines: [String: YAMLCursor], families: [[String]] = []) throws(MappingError) {
        for family in families {
            for word in family { replacements.append((Array(word), family[0])) }
        }
        replacements.sort { $0.word.count > $1.word.count }
        for e in entries {
            for term in [e.name] + e.synonyms {
                let text = Self.normalise(term)
                if let other = exact[text], other.code != e.code {
                    throw lines[e.code]!.error("'\(term)' names both \(other.code) and \(e.code): a wording names one class only")
                }
                exact[text] = (e.code, term)
                let canonical = canonical(text)
                if let other = exactCanonical[canonical], other.code != e.code {
                    throw lines[e.code]!.error("'\(term)' and '\(other.term)' differ only by words of one morpheme family but name \(e.code) and \(other.code)")
                }
                // The first term of a class (its name, then its synonyms in order) is the one shown.
                if exactCanonical[canonical] == nil { exactCanonical[canonical] = (e.code, term) }
                terms.append(Term(code: e.code, term: term, canonical: canonical, bigrams: CharacterBigrams(canonical)))
            }
        }
    }

    /// Half-width, no spaces: how names and wordings are compared.
    static func normalise(_ text: String) -> String {
        TextNormalization.compact(TextNormalization.halfWidth(text))
    }

    /// `text` with each morpheme family word (the longest at each position) read as its
    /// family's first: 邻里矛盾 → 邻里纠纷 under `[纠纷, 矛盾]`.
    func canonical(_ text: String) -> String {
        guard !replacements.isEmpty else { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            if let r = replacements.first(where: { i + $0.word.count <= chars.count && chars[i..<(i + $0.word.count)].elementsEqual($0.word) }) {
                out += r.canonical
                i += r.word.count
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }

    /// How well `text` names `term`: a term of two or more characters inside the text scores
    /// 0.8 and up by the share of the text it covers (路灯损坏 ∋ 路灯: 0.9); the text inside a
    /// longer term likewise from 0.7; otherwise the Dice coefficient of padded bigrams, and
    /// at least `minimumScore` when both begin with one word of two or more characters the
    /// other does not end at (治安防范 ~ 治安隐患: the leading word names the matter's field).
    static func similarity(_ text: String, _ textBigrams: CharacterBigrams, _ term: String, _ termBigrams: CharacterBigrams) -> Double {
        let tc = text.count, mc = term.count
        if mc >= 2, tc > mc, text.contains(term) { return 0.8 + 0.2 * Double(mc) / Double(tc) }
        if tc >= 2, mc > tc, term.contains(text) { return 0.7 + 0.2 * Double(tc) / Double(mc) }
        let dice = textBigrams.dice(termBigrams)
        let lead = zip(text, term).prefix { $0 == $1 }.count
        return lead >= 2 && lead < tc && lead < mc ? max(dice, CategoryTaxonomy.minimumScore) : dice
    }
}

/// The padded character bigrams of a short text (`^路`, `路灯`, `灯$`) and their Dice
/// coefficient: the few lines of OneGridResolve's `BigramSimilarity` that category names
/// need (Mapping does not import Resolve; see DESIGN.md).
struct CharacterBigrams: Sendable {
    let pairs: [String]

    init(_ text: String) {
        let chars = ["^"] + text.map(String.init) + ["$"]
        pairs = text.isEmpty ? [] : (1..<chars.count).map { chars[$0 - 1] + chars[$0] }.sorted()
    }

    /// 2 × shared / total, shared counted as a multiset; 0 when either is empty.
    func dice(_ other: CharacterBigrams) -> Double {
        guard !pairs.isEmpty, !other.pairs.isEmpty else { return 0 }
        var i = 0, j = 0, shared = 0
        while i < pairs.count, j < other.pairs.count {
            if pairs[i] == other.pairs[j] { shared += 1; i += 1; j += 1 } else if pairs[i] < other.pairs[j] { i += 1 } else { j += 1 }
        }
        return 2 * Double(shared) / Double(pairs.count + other.pairs.count)
    }
}
