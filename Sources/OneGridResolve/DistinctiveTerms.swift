import OneGridModel

/// The terms of a report's title and content that can tell one matter from another at the
/// same place: shop and company names (`老王烧烤店`, `金鑫装饰公司`), amounts and quantities with
/// their unit (`#38000元`, `#3个月`), vehicle plates (`@苏A12345`), and the Chinese character
/// bigrams left once the generic complaint words and the report's own address are cut out.
///
/// Stored as one space-separated string (`stored`), terms holding no spaces.
public struct DistinctiveTerms: Sendable, Hashable, Codable {
    public private(set) var terms: Set<String>

    public init(_ terms: Set<String> = []) {
        self.terms = terms.filter { !$0.isEmpty && !$0.contains(" ") }
    }

    /// Reads the stored form (`stored`); empty or nil text gives no terms.
    public init(stored: String?) {
        self.init(Set((stored ?? "").split(separator: " ").map(String.init)))
    }

    /// The stored form: terms sorted, joined by single spaces.
    public var stored: String { terms.sorted().joined(separator: " ") }

    public var isEmpty: Bool { terms.isEmpty }

    /// How much a term says: a name, an amount or a plate is worth two bigrams of free text
    /// four times over, because a matter's bystanders repeat those and rarely anything else.
    public static func weight(of term: String) -> Double {
        switch term.first {
        case "#", "@", "$": return 2
        default: return 0.5
        }
    }

    /// The summed weight of the terms both hold.
    public func sharedWeight(with other: DistinctiveTerms) -> Double {
        let (small, large) = terms.count <= other.terms.count ? (terms, other.terms) : (other.terms, terms)
        return small.reduce(0) { large.contains($1) ? $0 + Self.weight(of: $1) : $0 }
    }

    /// The summed weight of all terms.
    public var totalWeight: Double { terms.reduce(0) { $0 + Self.weight(of: $1) } }

    /// The terms of both, the heaviest first when more than `limit` (an incident keeps the
    /// union of its reports' terms, bounded so that a long-running matter stays small).
    public func union(_ other: DistinctiveTerms, limit: Int = 64) -> DistinctiveTerms {
        let all = terms.union(other.terms)
        guard all.count > limit else { return DistinctiveTerms(all) }
        let kept = all.sorted { (Self.weight(of: $0), $1) > (Self.weight(of: $1), $0) }.prefix(limit)
        return DistinctiveTerms(Set(kept))
    }
}

/// Extracts `DistinctiveTerms` from free text. Pure and deterministic.
///
/// Advice for hackers: Chinese has no spaces, so names are found by their suffix (店, 公司,
/// 超市 …) and cut at the nearest generic word before it; everything else falls back to
/// bigrams, which only count for little. The stoplist holds the wording every complaint of a
/// kind repeats (反映, 尽快处理, 油烟, 占用盲道 …); the pipeline adds the taxonomy's class
/// names and synonyms through `extraStopPhrases`, so a category's own words never make two
/// reports look alike.
public struct TermExtractor: Sendable {
    /// Generic words, longest first.
    private let stopPhrases: [[Character]]
    private let stopFirst: Set<Character>

    public init(extraStopPhrases: [String] = []) {
        let all = Set(Self.genericPhrases + extraStopPhrases.map { TextNormalization.halfWidth($0) }).filter { $0.count >= 2 }
        stopPhrases = all.map(Array.init).sorted { ($0.count, String($0)) > ($1.count, String($1)) }
        stopFirst = Set(stopPhrases.compactMap(\.first))
    }

    /// The terms of `texts` (title, content …), leaving out every bigram of `placeTexts`
    /// (the report's address and division names: the place is evidence of its own, counted
    /// elsewhere).
    public func terms(in texts: [String?], excludingPlace placeTexts: [String?] = []) -> DistinctiveTerms {
        var placeBigrams = Set<String>()
        for text in placeTexts.compactMap({ $0 }) {
            let chars = Array(TextNormalization.halfWidth(text))
            if chars.count >= 2 { for i in 0..<(chars.count - 1) { placeBigrams.insert(String(chars[i...i + 1])) } }
        }
        var out = Set<String>()
        for text in texts.compactMap({ $0 }) {
            extract(Array(TextNormalization.halfWidth(text).uppercased()), placeBigrams: placeBigrams, into: &out)
        }
        return DistinctiveTerms(out)
    }

    private func extract(_ chars: [Character], placeBigrams: Set<String>, into out: inout Set<String>) {
        // Pass 1: plates and amounts, blanked out of the text for pass 2.
        var text = chars
        var i = 0
        while i < text.count {
            if Self.plateProvinces.contains(text[i]), i + 1 < text.count, text[i + 1].isASCII, text[i + 1].isLetter {
                var j = i + 2
                while j < text.count, text[j].isASCII, text[j].isLetter || text[j].isNumber { j += 1 }
                if (5...6).contains(j - i - 2) {
                    out.insert("@" + String(text[i..<j]))
                    for k in i..<j { text[k] = " " }
                    i = j
                    continue
                }
            }
            if text[i].isASCII, text[i].isNumber {
                var j = i, digits = ""
                while j < text.count, (text[j].isASCII && text[j].isNumber) || text[j] == "." || text[j] == "," {
                    if text[j] != "," { digits.append(text[j]) }
                    j += 1
                }
                while digits.hasSuffix(".") { digits.removeLast() }
                if let unit = Self.units.first(where: { Self.starts(text, at: j, with: $0) }), !digits.isEmpty {
                    out.insert("#" + digits + String(unit))
                    j += unit.count
                }
                for k in i..<j { text[k] = " " }
                i = j
                continue
            }
            i += 1
        }
        // Pass 2: generic phrases cut out, then names by suffix and bigrams of what is left.
        var segments: [[Character]] = [], current: [Character] = []
        i = 0
        while i < text.count {
            let c = text[i]
            guard Self.isHan(c) else {
                if !current.isEmpty { segments.append(current); current = [] }
                i += 1
                continue
            }
            if stopFirst.contains(c), let stop = stopPhrases.first(where: { Self.starts(text, at: i, with: $0) }) {
                // A generic word ending in a name suffix (饭店) still ends the name before it.
                if Self.nameSuffixes.contains(where: { stop.count >= $0.count && stop.suffix($0.count).elementsEqual($0) }) {
                    let name = Self.nameStart(current[...], placeBigrams: placeBigrams)
                    if name.count >= 2 { out.insert("$" + String(name) + String(stop)) }
                }
                if !current.isEmpty { segments.append(current); current = [] }
                i += stop.count
                continue
            }
            current.append(c)
            if let suffix = Self.nameSuffixes.first(where: { current.count > $0.count && current.suffix($0.count).elementsEqual($0) }) {
                let name = Self.nameStart(current[...], placeBigrams: placeBigrams)
                if name.count > suffix.count { out.insert("$" + String(name)) }
            }
            i += 1
        }
        if !current.isEmpty { segments.append(current) }
        for segment in segments where segment.count >= 2 {
            for k in 0..<(segment.count - 1) {
                let bigram = String(segment[k...k + 1])
                if !placeBigrams.contains(bigram) { out.insert(bigram) }
            }
        }
    }

    /// Where a name begins in the text before its suffix: after any filler (一家) and after
    /// the place the text names first (华城名府老王烧烤店 → 老王烧烤店).
    static func nameStart(_ chars: ArraySlice<Character>, placeBigrams: Set<String>) -> ArraySlice<Character> {
        var rest = chars
        while true {
            let before = rest.count
            rest = rest.drop(while: { fillers.contains($0) })
            var k = rest.startIndex
            while k + 1 < rest.endIndex, placeBigrams.contains(String(rest[k...k + 1])) { k += 1 }
            if k > rest.startIndex { rest = rest[(k + 1)...] }
            if rest.count == before { return rest }
        }
    }

    static func starts(_ text: [Character], at i: Int, with word: [Character]) -> Bool {
        guard i + word.count <= text.count else { return false }
        for k in 0..<word.count where text[i + k] != word[k] { return false }
        return true
    }

    static func isHan(_ c: Character) -> Bool {
        guard let s = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return false }
        return (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value)
    }

    /// Units that make a number an amount or quantity of the matter (door and building
    /// numbers — 号, 栋, 单元 — are the address's, and 次, 张, 分贝 are boilerplate).
    static let units: [[Character]] = ["万元", "元", "块钱", "块", "平方米", "平米", "平方", "公里", "米", "吨", "公斤", "斤",
                                       "个月", "辆", "户", "人", "棵", "台"].map(Array.init)

    /// Suffixes that end a shop, company or site name.
    static let nameSuffixes: [[Character]] = ["有限公司", "公司", "超市", "酒店", "宾馆", "饭店", "餐厅", "餐馆", "店", "厂",
                                              "工地", "市场", "诊所", "药房", "银行", "集团", "工作室", "中心", "会所", "网吧"]
        .map(Array.init).sorted { $0.count > $1.count }

    /// Characters that begin no name: a name starts after them (一家老王烧烤店 → 老王烧烤店).
    static let fillers: Set<Character> = ["一", "家", "个", "的", "有", "在", "是", "了", "和", "与", "及", "这", "那", "该", "其"]

    static let plateProvinces: Set<Character> = Set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")

    /// The wording complaints of every kind repeat: report formulas, requests, generic places
    /// and generic shops, and the everyday vocabulary of the common matters.
    static let genericPhrases: [String] = [
        // formulas of the hotline, petition and patrol texts
        "来电人", "来电", "反映", "信访人", "诉求", "请相关部门", "相关部门", "有关部门", "尽快", "核实", "处理", "答复",
        "依法", "要求", "请求", "希望", "问题", "情况", "已多次", "多次", "一直", "没有", "解决", "再不", "向上级",
        "上级", "市民", "群众", "居民", "住户", "业主", "投诉", "举报", "咨询", "求助", "建议", "严重", "影响", "不能",
        "无法", "现场", "照片", "附件", "立即", "整改", "赔偿", "损失", "标准", "白天", "夜间", "晚上", "凌晨", "每天",
        "经常", "长期", "至今", "目前", "现在", "发现", "巡查", "检查", "责令", "执法人员", "执法", "商户", "已经", "一家",
        // generic places (the address itself is cut out by `excludingPlace`)
        "楼下", "楼上", "楼道", "门前", "门口", "附近", "路边", "路段", "周边", "对面", "旁边", "小区", "社区", "街道",
        "南京市", "家里", "窗户", "住宅", "人行道", "单元", "号楼",
        // generic shops and sites: a name needs more than these
        "饭店", "餐馆", "餐厅", "烧烤店", "水果店", "小吃店", "超市", "商店", "门店", "店铺", "商铺", "门面", "沿街",
        "餐饮店", "工地", "公司", "物业公司", "开发商", "单位", "厂家", "工厂", "市场", "摊贩", "早点摊", "烧烤摊",
        // the vocabulary of the common matters
        "占道经营", "占道", "占用", "盲道", "货架", "油烟", "直排", "排烟", "管道", "净化", "设备", "安装", "开窗",
        "噪声", "噪音", "扰民", "施工", "装修", "消防通道", "堵塞", "杂物", "堆放", "电动车", "充电", "飞线",
        "邻里", "纠纷", "漏水", "养狗", "垃圾", "清运", "路灯", "损坏", "井盖", "违建", "违章", "搭建", "广告",
        "招牌", "停车", "乱停", "拖欠", "工资", "物业", "维修", "污水", "排放", "异味", "扬尘", "焚烧", "安全",
        "隐患", "地桩锁", "定期", "清洗", "开启",
    ]
}
