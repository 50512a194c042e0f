import OneGridModel

// Advice for hackers
// ==================
// This is the one place where free Chinese address text becomes structure, and every
// matching decision downstream (standard address, grid, incident) rests on its `key`.
// Before changing it:
//
// * Add the failing spelling to the table in `AddressNormalizerTests` first, with every
//   component spelled out. The table is the specification; a change that fixes one row and
//   breaks another is not a fix.
// * Order matters. Width folding and punctuation come first; the province and city prefix
//   is dropped before the gazetteer sees the text (but 南京 is kept when it starts a
//   division name, e.g. 南京经济技术开发区); divisions are matched before numerals are
//   converted and noise removed, so that names such as 五老村街道 or 南门社区 stay intact;
//   building words are unified (栋/号楼/座/# → 幢) only after Chinese numerals became digits,
//   and only right after a digit or letter.
// * Bare abbreviations (六合, 雄州) are accepted in text only when the next character cannot
//   continue a place name (see `Gazetteer.nameContinuations`): 仙林大道 is a road, not 仙林街道.
//   No list of characters is complete (仙林翠谷, 雄州南路), so `PlaceResolver` reads a text
//   that matched nothing a second time with `bareAbbreviations: false`.
//   Bare community names (桥西) are never taken from free text, only from division fields.
// * A road needs a house number after it, or must end the text, or be followed by a name of
//   two or more characters that is not a bare compound word: 杉湖路小区 is a compound,
//   延安路华城名府 is a road and a compound.
// * `18号` after a compound and without a road is read as building 18 (华城名府18号 is how
//   residents name building 18). Bare digits after a unit or building are the room.
// * `楼` alone after digits is a floor (3楼), dropped; `号楼` is a building.
// * Keys leave out rooms and floors on purpose: places are building units.
// * No regular expressions: the scanners below walk `[Character]` arrays once each, which
//   keeps the normaliser fast enough for millions of records and easy to step through.

/// Turns free-text addresses into `NormalizedAddress` values (see the advice note above).
public struct AddressNormalizer: Sendable {
    /// Resolves division names and abbreviations at the start of the text.
    public let gazetteer: Gazetteer

    public init(gazetteer: Gazetteer) {
        self.gazetteer = gazetteer
    }

    /// Normalises one address. `context` holds the divisions the record names in fields of its
    /// own (or that its coordinates point to); it fills what the text leaves out and settles
    /// names that exist in several places, but the text wins when both name a division.
    /// With `bareAbbreviations` false, a bare division name (仙林, 雄州) in the text is read as
    /// part of the place name that follows it (仙林翠谷, 雄州南路), not as the division.
    public func normalize(_ raw: String, context: DivisionPath = DivisionPath(),
                          bareAbbreviations: Bool = true) -> NormalizedAddress {
        var chars = AddressNormalizer.prepare(raw)
        chars = dropProvinceAndCity(chars)

        let m = gazetteer.matchPrefix(chars, from: 0, context: context, abbreviations: bareAbbreviations)
        let divisionText = chars[0..<m.consumed]
        var rest = Array(chars[m.consumed...])
        rest = AddressNormalizer.removeNoise(rest)
        rest = AddressNormalizer.convertNumerals(rest)
        rest = AddressNormalizer.unifyBuildingWords(rest)

        var out = NormalizedAddress(text: String(divisionText) + String(rest))
        out.division = merge(text: m.path, context: context)
        out.unresolvedCommunity = m.unresolvedCommunity
        AddressNormalizer.parseComponents(rest, into: &out)
        return out
    }

    /// The text's divisions, completed by the context when the context lies below them.
    func merge(text: DivisionPath, context: DivisionPath) -> DivisionPath {
        guard let textCode = text.mostSpecificCode else { return context }
        if let contextCode = context.mostSpecificCode, contextCode.utf8.count > textCode.utf8.count,
           gazetteer.isWithin(contextCode, textCode) {
            return context
        }
        return text
    }

    /// A component field of the standard address list in canonical form: `3幢`, `三栋`, `3号楼`
    /// → `3`; `2单元` → `2`; `18号` → `18`; road and compound names folded and cleaned.
    public static func canonicalComponent(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var chars = prepare(raw)
        if !chars.isEmpty, chars.allSatisfy(ChineseNumerals.isNumeral) {
            chars = Array(ChineseNumerals.value(chars[...]) ?? String(chars))
        }
        chars = unifyBuildingWords(convertNumerals(chars))
        for word in ["单元", "幢", "号", "室", "组"] {
            let w = Array(word)
            if chars.count > w.count, Array(chars.suffix(w.count)) == w,
               chars.dropLast(w.count).allSatisfy(isAlnumOrHyphen) {
                chars.removeLast(w.count)
                break
            }
        }
        return chars.isEmpty ? nil : String(chars)
    }

    // MARK: Cleaning

    static let punctuation: Set<Character> = [
        ",", ".", "。", "，", "、", ";", "；", ":", "：", "\"", "'", "“", "”", "‘", "’", "(", ")",
        "（", "）", "【", "】", "[", "]", "{", "}", "<", ">", "《", "》", "!", "！", "?", "？", "·",
        "~", "～", "_", "/", "\\", "|", "*", "…",
    ]

    /// Width folded, white space and punctuation removed, ASCII letters upper-cased,
    /// dashes unified to `-`.
    static func prepare(_ raw: String) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(raw.count)
        for c in TextNormalization.halfWidth(raw) {
            if c.isWhitespace || punctuation.contains(c) { continue }
            if c == "—" || c == "–" || c == "－" { out.append("-"); continue }
            if c.isASCII, c.isLetter { out.append(Character(c.uppercased())); continue }
            out.append(c)
        }
        return out
    }

    func dropProvinceAndCity(_ input: [Character]) -> [Character] {
        var chars = input
        for prefix in ["江苏省", "江苏"] where chars.starts(with: prefix) {
            chars.removeFirst(prefix.count)
            break
        }
        if chars.starts(with: "南京市") {
            chars.removeFirst(3)
        } else if chars.starts(with: "南京") {
            // Keep 南京 when it begins a division name (南京经济技术开发区).
            if gazetteer.matchPrefix(chars, from: 0, context: DivisionPath()).consumed == 0 {
                chars.removeFirst(2)
            }
        }
        return chars
    }

    /// Words that say where near a place, not which place, and are removed.
    static let noise: [([Character], [Character])] = [
        ("附近", ""), ("对面", ""), ("门口", ""), ("旁边", ""), ("边上", ""), ("周边", ""), ("一带", ""),
        ("楼下", ""), ("东侧", ""), ("西侧", ""), ("南侧", ""), ("北侧", ""), ("路口", "路"),
    ].map { (Array($0.0), Array($0.1)) }

    static func removeNoise(_ chars: [Character]) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(chars.count)
        var i = 0
        outer: while i < chars.count {
            for (word, replacement) in noise where chars[i] == word[0] && i + word.count <= chars.count
                && chars[i..<(i + word.count)].elementsEqual(word) {
                out += replacement
                i += word.count
                continue outer
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    /// Words after which a run of Chinese numerals is a number to convert.
    static let numeralMarkers: [[Character]] = ["号", "栋", "幢", "座", "楼", "单元", "室", "层", "组", "户", "房"].map(Array.init)

    /// 三栋 → 3栋, 二十一幢 → 21幢, 三〇二室 → 302室: only runs directly followed by a marker.
    static func convertNumerals(_ chars: [Character]) -> [Character] {
        guard chars.contains(where: ChineseNumerals.isNumeral) else { return chars }
        var out: [Character] = []
        out.reserveCapacity(chars.count)
        var i = 0
        while i < chars.count {
            guard ChineseNumerals.isNumeral(chars[i]) else { out.append(chars[i]); i += 1; continue }
            var j = i
            while j < chars.count, ChineseNumerals.isNumeral(chars[j]) { j += 1 }
            let followedByMarker = numeralMarkers.contains { m in
                j + m.count <= chars.count && chars[j..<(j + m.count)].elementsEqual(m)
            }
            if followedByMarker, let value = ChineseNumerals.value(chars[i..<j]) {
                out += Array(value)
            } else {
                out += chars[i..<j]
            }
            i = j
        }
        return out
    }

    static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isNumber || c.isLetter) }
    static func isAlnumOrHyphen(_ c: Character) -> Bool { isAlnum(c) || c == "-" }

    /// 栋, 号楼, 座, #楼 and # after a digit or letter become 幢.
    static func unifyBuildingWords(_ chars: [Character]) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(chars.count)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let afterAlnum = out.last.map(isAlnum) ?? false
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if afterAlnum {
                if (c == "号" || c == "#") && next == "楼" { out.append("幢"); i += 2; continue }
                if c == "栋" || c == "座" || c == "#" { out.append("幢"); i += 1; continue }
            }
            if c == "#" { i += 1; continue }
            out.append(c)
            i += 1
        }
        return out
    }

    // MARK: Components

    /// Road suffixes before a house number. 桥 counts only there: 竺桥12号 and 浮桥5号 are
    /// streets named after old bridges, as in many Chinese cities.
    static let roadSuffixes: [[Character]] = ["大道", "路", "街", "巷", "弄", "道", "桥"].map(Array.init)
    /// Road suffixes that may stand without a house number (not 道 alone).
    static let bareRoadSuffixes: [[Character]] = ["大道", "路", "街", "巷"].map(Array.init)
    /// Compound words, longest first.
    /// Compound words, longest first. Schools, hospitals and markets are places of the same
    /// kind (they have exclusive grids, 专属网格): 浦口外国语学校, 六合区人民医院, 龙池农贸市场.
    static let compoundSuffixes: [[Character]] = [
        "小区", "花园", "家园", "新村", "公寓", "广场", "大厦", "山庄", "公馆", "别墅", "中心", "大楼",
        "商城", "学校", "小学", "中学", "大学", "学院", "医院", "卫生院", "市场", "菜场",
        "苑", "府", "城", "村", "园", "庭", "邸", "湾", "居", "里", "寓", "墅", "坊", "阁",
    ].map(Array.init)

    static func hasWord(_ chars: [Character], at i: Int, _ word: [Character]) -> Bool {
        i >= 0 && i + word.count <= chars.count && chars[i..<(i + word.count)].elementsEqual(word)
    }

    static func parseComponents(_ r: [Character], into out: inout NormalizedAddress) {
        var start = 0
        if let (road, number, end) = roadAndNumber(r) {
            out.road = road
            out.number = number
            start = end
        } else if let (road, end) = bareRoad(r) {
            out.road = road
            start = end
        }
        let s = Array(r[start...])
        let tokenStart = firstToken(s)
        let prefix = Array(s[0..<tokenStart])
        var trailing: [Character] = []
        parseTokens(Array(s[tokenStart...]), prefixIsEmpty: prefix.isEmpty, into: &out, trailing: &trailing)

        if !prefix.isEmpty {
            if out.building != nil || out.unit != nil || out.group != nil || out.room != nil {
                out.compound = String(prefix)
            } else if let end = lastCompoundSuffixEnd(prefix) {
                out.compound = String(prefix[0..<end])
                if end < prefix.count { trailing = Array(prefix[end...]) + trailing }
            } else {
                trailing = prefix + trailing
            }
        }
        if !trailing.isEmpty { out.remainder = String(trailing) }
    }

    /// `延安路18号`, `中山大道100-2号`, `延安路18` at the end: (road, number, end index).
    static func roadAndNumber(_ r: [Character]) -> (String, String, Int)? {
        var i = 1
        while i < r.count {
            if r[i - 1].isASCII && r[i - 1].isNumber { return nil } // a road name has no digits
            for suffix in roadSuffixes where hasWord(r, at: i, suffix) {
                let end = i + suffix.count
                guard end < r.count, r[end].isASCII, r[end].isNumber else { continue }
                var j = end
                while j < r.count, isAlnumOrHyphen(r[j]), !(r[j].isLetter) { j += 1 }
                let number = String(r[end..<j])
                if j < r.count, r[j] == "号" { return (String(r[0..<end]), number, j + 1) }
                if j == r.count { return (String(r[0..<end]), number, j) }
            }
            i += 1
        }
        return nil
    }

    /// A road without a number: the whole text, or a road followed by a name that is not a
    /// bare compound word (延安路华城名府3幢, but not 杉湖路小区).
    static func bareRoad(_ r: [Character]) -> (String, Int)? {
        var i = 1
        while i < r.count {
            if isAlnum(r[i - 1]) { return nil }
            for suffix in bareRoadSuffixes where hasWord(r, at: i, suffix) {
                let end = i + suffix.count
                if end == r.count { return (String(r), end) }
                let tail = Array(r[end..<(end + firstToken(Array(r[end...])))])
                if tail.count >= 2, !compoundSuffixes.contains(tail), !"口道区坊路街巷".contains(r[end]) {
                    return (String(r[0..<end]), end)
                }
            }
            i += 1
        }
        return nil
    }

    static let tokenMarkers: [[Character]] = ["单元", "幢", "组", "室", "房", "户", "层", "楼", "号"].map(Array.init)

    /// The index of the first alphanumeric run that is a building/unit/room token: followed by a
    /// marker, in the `3-2-302` form, or ending the text.
    static func firstToken(_ s: [Character]) -> Int {
        var i = 0
        while i < s.count {
            guard isAlnum(s[i]), i == 0 || !isAlnum(s[i - 1]) else { i += 1; continue }
            var j = i
            while j < s.count, isAlnumOrHyphen(s[j]) { j += 1 }
            if j == s.count || tokenMarkers.contains(where: { hasWord(s, at: j, $0) })
                || s[i..<j].contains("-") {
                return i
            }
            i = j
        }
        return s.count
    }

    /// Reads `3幢2单元302室`, `3-2-302`, `2单元302`, `3组`, `18号` (see the advice note).
    static func parseTokens(_ t: [Character], prefixIsEmpty: Bool, into out: inout NormalizedAddress,
                            trailing: inout [Character]) {
        var i = 0
        while i < t.count {
            guard isAlnum(t[i]) else { trailing.append(t[i]); i += 1; continue }
            var j = i
            while j < t.count, isAlnumOrHyphen(t[j]) { j += 1 }
            let run = String(t[i..<j])
            let marker = tokenMarkers.first(where: { hasWord(t, at: j, $0) })
            let next = j + (marker?.count ?? 0)
            let markerWord = marker.map { String($0) }
            switch markerWord {
            case "幢": out.building = run
            case "单元": out.unit = run
            case "组": out.group = run
            case "室", "房", "户": out.room = run
            case "层", "楼": break // a floor: the room number says it again
            case "号":
                if out.building != nil || out.unit != nil { out.room = run }
                else if out.road == nil && prefixIsEmpty && out.number == nil { out.number = run }
                else { out.building = run }
            default:
                let parts = run.split(separator: "-").map(String.init)
                if parts.count == 3, out.building == nil {
                    (out.building, out.unit, out.room) = (parts[0], parts[1], parts[2])
                } else if parts.count == 2, out.building != nil, out.unit == nil {
                    (out.unit, out.room) = (parts[0], parts[1])
                } else if out.building != nil || out.unit != nil {
                    out.room = run
                } else if !prefixIsEmpty || out.road != nil {
                    out.building = run
                } else {
                    trailing += Array(run)
                }
            }
            i = next
        }
    }

    /// The end of the last compound word in the text, if any.
    static func lastCompoundSuffixEnd(_ p: [Character]) -> Int? {
        var best: Int? = nil
        for start in 1..<max(1, p.count) {
            for suffix in compoundSuffixes where hasWord(p, at: start, suffix) {
                best = max(best ?? 0, start + suffix.count)
            }
        }
        return best
    }
}
