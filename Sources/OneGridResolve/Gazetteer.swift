import OneGridModel

/// Names and codes of Nanjing's divisions (区 → 街道/镇 → 社区/村), with the spellings feeds
/// use: abbreviations (六合 for 六合区, 雄州 for 雄州街道), office suffixes (雄州街道办事处,
/// 竹镇镇人民政府), committee forms (桥西社区居委会, 大泉村村委会 → 大泉村) and the Jiangbei
/// New Area pseudo-district with its local codes.
///
/// Every code it returns is national (local Jiangbei street codes are translated), except
/// the pseudo-district 320192 itself, which has no national counterpart and is returned only
/// when nothing below it is known.
public struct Gazetteer: Sendable {
    /// One spelling of one division.
    struct Alias: Sendable, Hashable {
        var code: String
        var level: DivisionLevel
        /// A bare name without its level word (六合, 雄州, 桥西): accepted in division fields,
        /// and in free text only where the next character cannot continue a place name.
        var isAbbreviation: Bool
    }

    public let crosswalk: JiangbeiCrosswalk
    private let byCode: [String: Division]
    private let aliases: [String: [Alias]]
    let maxAliasLength: Int
    /// Every spelling as a path of characters: the spellings beginning at a position of a
    /// text are found in one walk, instead of one `String` built and hashed per length.
    private let spellings: SpellingTrie

    /// The divisions it knows (with the Jiangbei pseudo-district), in no particular order.
    var divisions: Dictionary<String, Division>.Values { byCode.values }

    /// Builds the gazetteer from the division list (district 6, street 9, community 12 digits)
    /// and the Jiangbei crosswalk; the pseudo-district 320192 江北新区 is added for it.
    public init(divisions: [Division], crosswalk: JiangbeiCrosswalk = .nanjing) {
        self.crosswalk = crosswalk
        var byCode: [String: Division] = [:]
        for d in divisions { byCode[d.code] = d }
        if byCode[JiangbeiCrosswalk.pseudoDistrictCode] == nil {
            byCode[JiangbeiCrosswalk.pseudoDistrictCode] = Division(
                code: JiangbeiCrosswalk.pseudoDistrictCode, name: JiangbeiCrosswalk.pseudoDistrictName,
                level: .district, parentCode: "3201")
        }
        var aliases: [String: [Alias]] = [:]
        var maxLength = 0
        for d in byCode.values.sorted(by: { $0.code < $1.code }) {
            for (spelling, abbreviated) in Gazetteer.spellings(of: d) {
                let entry = Alias(code: d.code, level: d.level, isAbbreviation: abbreviated)
                if aliases[spelling, default: []].contains(where: { $0.code == d.code }) { continue }
                aliases[spelling, default: []].append(entry)
                maxLength = max(maxLength, spelling.count)
            }
        }
        self.byCode = byCode
        self.aliases = aliases
        self.maxAliasLength = maxLength
        var trie = SpellingTrie()
        for (spelling, entries) in aliases where spelling.count >= 2 { trie.insert(Array(spelling), entries) }
        spellings = trie
    }

    /// The spellings of a division, each flagged when it is a bare abbreviation.
    static func spellings(of d: Division) -> [(String, Bool)] {
        let name = d.name
        var out: [(String, Bool)] = [(name, false)]
        func base(dropping suffix: String) -> String? {
            guard name.hasSuffix(suffix), name.count > suffix.count else { return nil }
            return String(name.dropLast(suffix.count))
        }
        func abbreviation(_ b: String) { if b.count >= 2 { out.append((b, true)) } }
        switch d.level {
        case .district:
            if let b = base(dropping: "新区") { abbreviation(b) }
            else if let b = base(dropping: "区") ?? base(dropping: "县") { abbreviation(b) }
        case .street:
            if let b = base(dropping: "街道") {
                out += [(b + "街道办事处", false), (b + "街道办", false), (b + "办事处", false)]
                abbreviation(b)
            } else if name.hasSuffix("镇") || name.hasSuffix("乡") {
                out += [(name + "人民政府", false), (name + "政府", false)]
                if let b = base(dropping: String(name.last!)) { abbreviation(b) }
            }
        case .community:
            if let b = base(dropping: "社区") {
                out += [(name + "居委会", false), (name + "居民委员会", false),
                        (b + "居委会", false), (b + "居民委员会", false)]
                abbreviation(b)
            } else if let b = base(dropping: "村") {
                out += [(name + "委会", false), (name + "村委会", false), (name + "民委员会", false),
                        (name + "村民委员会", false)]
                abbreviation(b)
            }
        }
        return out
    }

    // MARK: Codes

    /// The national form of a division code: local Jiangbei street codes (`320192007000`,
    /// `320192007`) become national (`320111001`), a 12-digit code ending `000` that names a
    /// known street becomes that street; nil when the code is unknown.
    public func canonicalCode(_ raw: String) -> String? {
        let code = TextNormalization.compact(raw)
        if let national = crosswalk.national(forLocal: code) { return national }
        if byCode[code] != nil { return code }
        if code.utf8.count == 12, code.hasSuffix("000") {
            let street = String(code.prefix(9))
            if byCode[street]?.level == .street { return street }
        }
        return nil
    }

    /// The division for a code in any form `canonicalCode` accepts.
    public func division(code: String) -> Division? {
        canonicalCode(code).flatMap { byCode[$0] }
    }

    /// The division and its ancestors, most specific first: community → street → district.
    public func ancestry(of code: String) -> [Division] {
        var out: [Division] = []
        var next = canonicalCode(code)
        while let c = next, let d = byCode[c], out.count < 4 {
            out.append(d)
            next = d.parentCode
        }
        return out
    }

    /// The full path of a code (its own level and those above it).
    public func path(of code: String) -> DivisionPath {
        var p = DivisionPath()
        for d in ancestry(of: code) {
            switch d.level {
            case .district: p.districtCode = d.code
            case .street: p.streetCode = d.code
            case .community: p.communityCode = d.code
            }
        }
        return p
    }

    /// Whether `code` is `ancestor` or lies under it; the pseudo-district 320192 holds the
    /// crosswalk's streets and what lies under them.
    public func isWithin(_ code: String, _ ancestor: String) -> Bool {
        if code.hasPrefix(ancestor) { return true }
        if ancestor == JiangbeiCrosswalk.pseudoDistrictCode, code.utf8.count >= 9 {
            return crosswalk.isJiangbei(street: String(code.prefix(9)))
        }
        return false
    }

    // MARK: Names

    /// The divisions a single name may denote (any spelling, abbreviations included).
    public func candidates(named raw: String, level: DivisionLevel? = nil) -> [Division] {
        let name = Gazetteer.cleanName(raw)
        let hits = aliases[name] ?? []
        return hits.filter { level == nil || $0.level == level }.compactMap { byCode[$0.code] }
    }

    /// Resolves the division names a record gives in separate fields (any may be nil or
    /// abbreviated) to codes. A name found in several places is disambiguated by the other
    /// names; one that stays ambiguous, or contradicts the others, is left out.
    public func resolve(district: String?, street: String?, community: String?) -> DivisionPath {
        func codes(_ name: String?, _ level: DivisionLevel) -> [String]? {
            guard let name, !Gazetteer.cleanName(name).isEmpty else { return nil }
            var found = candidates(named: name, level: level).map(\.code)
            if found.isEmpty {
                // A field holding a whole path ("南京市六合区雄州街道"): take its deepest match of this level.
                let chars = Array(Gazetteer.cleanName(name))
                let m = matchPrefix(chars, from: 0, context: DivisionPath())
                let p = m.path
                switch level {
                case .district: if let c = p.districtCode { found = [c] }
                case .street: if let c = p.streetCode { found = [c] }
                case .community: if let c = p.communityCode { found = [c] }
                }
            }
            return found
        }
        let ds = codes(district, .district)
        let ss = codes(street, .street)
        let cs = codes(community, .community)

        func consistent(_ code: String, with ancestors: [String]?) -> Bool {
            guard let ancestors, !ancestors.isEmpty else { return true }
            return ancestors.contains { isWithin(code, $0) }
        }
        var result = DivisionPath()
        if let cs {
            let fitting = cs.filter { consistent($0, with: ss) && consistent($0, with: ds) }
            if fitting.count == 1 { return path(of: fitting[0]) }
        }
        if let ss {
            let fitting = ss.filter { consistent($0, with: ds) }
            if fitting.count == 1 { result = path(of: fitting[0]) }
        }
        if result.isEmpty, let ds, ds.count == 1 { result = path(of: ds[0]) }
        return result
    }

    /// Width folded, spaces and the province/city prefix removed.
    static func cleanName(_ raw: String) -> String {
        var s = TextNormalization.compact(raw)
        for prefix in ["江苏省", "江苏", "南京市"] where s.hasPrefix(prefix) {
            s.removeFirst(prefix.count)
        }
        return s
    }

    // MARK: Prefix matching for free text

    /// What `matchPrefix` found at the start of a text.
    struct PrefixMatch {
        var path = DivisionPath()
        /// Characters consumed.
        var consumed = 0
        /// A `…社区`/`…居委会`/`…村委会` name consumed without a code (unknown or ambiguous).
        var unresolvedCommunity: String?
    }

    /// Characters after which a bare abbreviation is not a division (仙林大道, 玄武湖, 六合路).
    static let nameContinuations: Set<Character> = [
        "路", "街", "道", "巷", "弄", "大", "村", "镇", "乡", "湖", "园", "苑", "府", "城", "里",
        "桥", "山", "门", "港", "洲", "口", "区", "县", "广", "中", "小", "新", "花", "家", "社",
    ]

    /// Longest spelling at `start`, in order district → street → community (each optional,
    /// each consistent with those before it and, among equals, with `context`). With
    /// `abbreviations` false, bare names (六合, 仙林) are not taken at all: the second reading
    /// of a text whose place name begins with a division's name (仙林翠谷, 雄州南路).
    func matchPrefix(_ chars: [Character], from start: Int, context: DivisionPath, abbreviations: Bool = true) -> PrefixMatch {
        var m = PrefixMatch()
        var position = start
        var floor = 0 // 0 district, 1 street, 2 community
        func rank(_ l: DivisionLevel) -> Int { l == .district ? 0 : l == .street ? 1 : 2 }

        while position < chars.count, floor <= 2 {
            var best: (length: Int, hits: [Alias])? = nil
            // Longest first, as a spelling that fits beats any shorter one.
            for (length, entries) in spellings.matches(in: chars, at: position).reversed() {
                let after: Character? = position + length < chars.count ? chars[position + length] : nil
                let fits = entries.filter { e in
                    guard rank(e.level) >= floor else { return false }
                    if e.isAbbreviation {
                        if e.level == .community || !abbreviations { return false }
                        if let after, Gazetteer.nameContinuations.contains(after),
                           !hasDeeperAlias(chars, at: position + length, than: e.level) { return false }
                    }
                    return fitsPath(e.code, m.path)
                }
                if !fits.isEmpty { best = (length, fits); break }
            }
            guard let found = best else {
                // An unknown community named with its level word, right after a known division.
                if floor <= 2, !m.path.isEmpty || position == start,
                   let (name, length) = Gazetteer.unknownCommunity(chars, from: position) {
                    m.unresolvedCommunity = name
                    position += length
                }
                break
            }
            var hits = found.hits
            // Prefer the shallowest level (六合 the district over a street spelled the same),
            if let top = hits.map({ rank($0.level) }).min() { hits = hits.filter { rank($0.level) == top } }
            // then those agreeing with the context.
            if hits.count > 1 {
                let agreeing = hits.filter { e in
                    [context.communityCode, context.streetCode, context.districtCode].compactMap { $0 }
                        .contains { isWithin($0, e.code) || isWithin(e.code, $0) }
                }
                if !agreeing.isEmpty { hits = agreeing }
            }
            let level = hits[0].level
            if hits.count == 1 {
                let p = path(of: hits[0].code)
                switch level {
                case .district:
                    m.path.districtCode = hits[0].code
                case .street:
                    m.path.streetCode = p.streetCode
                    m.path.districtCode = p.districtCode ?? m.path.districtCode
                case .community:
                    m.path = p
                }
            } else if level == .community {
                m.unresolvedCommunity = String(chars[position..<(position + found.length)])
            }
            position += found.length
            floor = rank(level) + 1
        }
        m.consumed = position - start
        return m
    }

    /// Whether a spelling of a division below `level` starts at `start` (六合|雄州, 竹镇|大泉村).
    private func hasDeeperAlias(_ chars: [Character], at start: Int, than level: DivisionLevel) -> Bool {
        spellings.matches(in: chars, at: start).contains { _, entries in
            entries.contains(where: { !$0.isAbbreviation && ($0.level == .community || level == .district) })
        }
    }

    /// Whether a division fits under what was already matched.
    private func fitsPath(_ code: String, _ p: DivisionPath) -> Bool {
        if let s = p.streetCode { return code.hasPrefix(s) && code != s }
        if let d = p.districtCode { return isWithin(code, d) && code != d }
        return true
    }

    /// `…社区`, `…居委会`, `…村委会` within the next 10 characters, the name before it 2–8 long.
    static func unknownCommunity(_ chars: [Character], from start: Int) -> (String, Int)? {
        let words: [[Character]] = [Array("社区居委会"), Array("社区居民委员会"), Array("社区"),
                                    Array("居委会"), Array("村委会")]
        let limit = min(chars.count, start + 14)
        var i = start + 2
        while i < limit {
            for w in words where i + w.count <= chars.count && Array(chars[i..<(i + w.count)]) == w {
                let stem = String(chars[start..<i])
                guard i - start <= 8, !stem.contains(where: { $0.isASCII }) else { return nil }
                let tail = i + w.count < chars.count ? chars[i + w.count] : nil
                if w.count == 2, let tail, "医卫服活食".contains(tail) { return nil } // 社区医院, 社区服务中心
                let name = w.first == "村" ? (stem.hasSuffix("村") ? stem : stem + "村") : stem + "社区"
                return (name, i + w.count - start)
            }
            i += 1
        }
        return nil
    }
}

/// The gazetteer's spellings (two characters or more) as a trie of characters, built once.
struct SpellingTrie: Sendable {
    /// Children of each node by their character; node 0 is the root.
    private var children: [[Character: Int]] = [[:]]
    /// The divisions spelled by the path to each node, nil where no spelling ends.
    private var entries: [[Gazetteer.Alias]?] = [nil]

    mutating func insert(_ spelling: [Character], _ aliases: [Gazetteer.Alias]) {
        var node = 0
        for c in spelling {
            if let next = children[node][c] {
                node = next
            } else {
                children.append([:])
                entries.append(nil)
                children[node][c] = children.count - 1
                node = children.count - 1
            }
        }
        entries[node] = aliases
    }

    /// The spellings that begin at `start` of `chars`, shortest first: (length, divisions).
    func matches(in chars: [Character], at start: Int) -> [(length: Int, entries: [Gazetteer.Alias])] {
        var found: [(length: Int, entries: [Gazetteer.Alias])] = []
        var node = 0
        var i = start
        while i < chars.count, let next = children[node][chars[i]] {
            node = next
            i += 1
            if let hit = entries[node] { found.append((i - start, hit)) }
        }
        return found
    }
}
