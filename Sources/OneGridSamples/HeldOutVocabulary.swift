/// Which habits the sample feeds are written with.
///
/// `tuned` is the vocabulary the mappings, crosswalks and resolution rules were written and
/// tuned against (and `SampleData/` is generated with). `heldOut` keeps the same matters,
/// places, people and ground truth but speaks as other departments do: each feed its own
/// category wording and depth, other address styles, other name and phone habits. Keep it out
/// of tuning: rules are judged on it, never fitted to it (issue #14).
public enum SampleVariant: String, Sendable, CaseIterable {
    case tuned
    case heldOut = "held-out"
    /// A second held-out wording, written after the rules of session 4 were frozen and never
    /// used to tune anything: the held-out set's address, name and phone habits with another
    /// city's category trees (``OutsideVocabulary``). Report on it; do not tune on it.
    case outside

    /// The seed a variant is generated with unless told otherwise: the held-out set differs
    /// from the tuned one in its draws too, not only in its wording.
    public var defaultSeed: UInt64 {
        switch self {
        case .tuned: 20_200_623
        case .heldOut: 20_201_107
        case .outside: 20_261_130
        }
    }
}

/// The held-out wording of each issue type per feed. Written as another city's systems file
/// these matters, without looking at the crosswalks or the taxonomy's synonyms; several
/// wordings a matter where departments use several leaves. Hotline paths run 2 to 4 levels,
/// patrol categories 1 or 2, petition codes come from another numbering.
enum HeldOutVocabulary {
    struct Wording {
        var hotline: [[String]]
        var petition: [(code: String, label: String)]
        var patrol: [String]
    }

    static let byCode: [String: Wording] = [
        "HB.01": Wording(hotline: [["生态环境", "大气污染", "餐饮业油烟"], ["生态环境", "油烟扰民"]],
                         petition: [("2101", "生态环境/餐饮油烟扰民")], patrol: ["环境污染>油烟扰民", "餐饮油烟"]),
        "MD.02": Wording(hotline: [["劳动保障", "劳动关系", "拖欠工资"], ["劳动保障", "劳动关系", "工资报酬", "拖欠农民工工资"]],
                         petition: [("1203", "劳动保障/拖欠农民工工资"), ("1204", "劳动保障/欠薪")], patrol: ["劳资矛盾", "矛盾调处>讨薪"]),
        "AQ.01": Wording(hotline: [["应急管理", "消防管理", "占用消防通道"], ["应急管理", "消防安全隐患"]],
                         petition: [("2402", "应急管理/消防通道被占")], patrol: ["消防安全>通道堵塞"]),
        "CG.01": Wording(hotline: [["城市管理", "市容秩序", "占道经营"], ["城市管理", "市容秩序", "流动摊点", "早餐摊点占道"]],
                         petition: [("1805", "城市管理/违规占道经营")], patrol: ["市容秩序>流动摊贩占道", "市容秩序>出店经营"]),
        "MD.03": Wording(hotline: [["住房城乡建设", "物业管理", "物业服务质量"], ["住房城乡建设", "物业收费"]],
                         petition: [("1702", "住房建设/物业服务纠纷")], patrol: ["物业矛盾"]),
        "HB.02": Wording(hotline: [["生态环境", "噪声污染", "建筑施工噪声"], ["生态环境", "夜间施工扰民"]],
                         petition: [("2103", "生态环境/施工噪音扰民")], patrol: ["环境污染>工地噪音"]),
        "CG.03": Wording(hotline: [["城市管理", "环境卫生", "生活垃圾", "垃圾未及时清运"], ["城市管理", "环境卫生", "垃圾堆放"]],
                         petition: [("1807", "城市管理/垃圾清运不及时")], patrol: ["市容环境>垃圾乱堆", "市容环境>暴露垃圾"]),
        "CG.04": Wording(hotline: [["城市管理", "市政设施", "道路坑洼"], ["交通出行", "道路损坏"]],
                         petition: [("1903", "交通运输/道路损坏")], patrol: ["市政设施>路面破损", "市政设施>井盖缺失"]),
        "MD.01": Wording(hotline: [["社会治理", "矛盾纠纷", "邻里纠纷"], ["社会治理", "邻里矛盾"]],
                         petition: [("3101", "社会事务/邻里矛盾")], patrol: ["邻里矛盾", "矛盾调处>邻里纠纷"]),
        "MS.01": Wording(hotline: [["公用事业", "供水", "停水"], ["公用事业", "供电", "停电"]],
                         petition: [("1709", "住房建设/停水停电")], patrol: ["公共服务>停水停电", "市政设施>路灯损坏"]),
        "ZA.01": Wording(hotline: [["公安", "社会治安", "治安隐患"], ["公安", "治安防范"]],
                         petition: [("3302", "政法/治安问题")], patrol: ["治安防范>陌生人员"]),
        "AQ.02": Wording(hotline: [["应急管理", "燃气安全", "燃气泄漏"], ["城市管理", "燃气管理", "液化气瓶"]],
                         petition: [("2405", "应急管理/燃气安全隐患")], patrol: ["安全隐患>燃气管道"]),
    ]

    static func wording(_ issue: IssueType, variant: SampleVariant = .heldOut) -> Wording {
        variant == .outside ? OutsideVocabulary.byCode[issue.code]! : byCode[issue.code]!
    }
}

/// The `outside` variant's wording: modelled on how other cities' 12345 platforms, petition
/// systems and patrol apps name these matters (ministry-style trees, colloquial leaves, other
/// code numbering). Written without running the rules on it; figures on it are reported, and it
/// must never be used to choose a rule, a synonym or a morpheme family.
enum OutsideVocabulary {
    static let byCode: [String: HeldOutVocabulary.Wording] = [
        "HB.01": .init(hotline: [["环境保护", "餐饮服务业油烟污染"], ["城市环境", "油烟异味", "饭店排烟影响居民"]],
                       petition: [("5101", "环保/饭店油烟影响居民")], patrol: ["环保>饭店排烟", "油烟异味"]),
        "MD.02": .init(hotline: [["人力资源和社会保障", "劳动报酬", "欠发工资"], ["就业创业", "工资待遇", "拖欠劳务费"]],
                       petition: [("4102", "人社/追讨劳动报酬")], patrol: ["劳资>欠发工资"]),
        "AQ.01": .init(hotline: [["安全生产", "消防", "堵塞消防通道"], ["应急安全", "生命通道占用"]],
                       petition: [("6203", "安全/消防车通道堵塞")], patrol: ["消防>通道占用", "消防隐患"]),
        "CG.01": .init(hotline: [["城市管理", "街面秩序", "占道摆摊"], ["市容市貌", "沿街商铺越门经营"]],
                       petition: [("5805", "城管/摆摊设点")], patrol: ["街面秩序>占道摆摊", "越门经营"]),
        "MD.03": .init(hotline: [["房屋管理", "物业", "物业公司服务差"], ["住房保障", "小区物业管理问题"]],
                       petition: [("4702", "住建/物业公司不作为")], patrol: ["物业问题"]),
        "HB.02": .init(hotline: [["环境保护", "噪声", "工地夜间施工"], ["城市环境", "建筑工地噪音"]],
                       petition: [("5103", "环保/工地夜间施工扰民")], patrol: ["环保>施工扰民"]),
        "CG.03": .init(hotline: [["城市管理", "环卫保洁", "垃圾满溢"], ["市容市貌", "生活垃圾未清理"]],
                       petition: [("5807", "城管/垃圾堆积无人清理")], patrol: ["环卫>垃圾满溢", "环境卫生差"]),
        "CG.04": .init(hotline: [["交通运输", "道路养护", "路面塌陷"], ["城市建设", "市政道路坑槽"]],
                       petition: [("5903", "交通/路面坑洼不平")], patrol: ["道路>路面塌陷", "市政道路破损"]),
        "MD.01": .init(hotline: [["社会管理", "民间纠纷", "邻居之间矛盾"], ["基层治理", "邻里关系不和"]],
                       petition: [("7101", "综治/邻居纠纷")], patrol: ["民间纠纷>邻里", "邻里不和"]),
        "MS.01": .init(hotline: [["水电气", "自来水", "无水"], ["水电气", "电力", "突然断电"]],
                       petition: [("4709", "公用/长时间停电")], patrol: ["水电>停电", "供水中断"]),
        "ZA.01": .init(hotline: [["公共安全", "治安管理", "可疑人员出没"], ["平安建设", "治安状况差"]],
                       petition: [("7302", "公安/治安环境差")], patrol: ["平安>可疑人员", "治安巡查"]),
        "AQ.02": .init(hotline: [["安全生产", "燃气", "煤气味道"], ["水电气", "天然气", "燃气管道漏气"]],
                       petition: [("6205", "安全/液化气使用隐患")], patrol: ["燃气>漏气", "燃气隐患"]),
    ]
}

extension GenerationContext {
    var isHeldOut: Bool { options.variant != .tuned }

    /// The 12345 classification path of an issue for one record (drawn only in the held-out
    /// variant, so the tuned files keep their bytes).
    func hotlinePath(_ issue: IssueType, _ rng: inout SplitMix64) -> [String] {
        isHeldOut ? rng.pick(HeldOutVocabulary.wording(issue, variant: options.variant).hotline) : issue.hotlinePath
    }

    /// The matter's name in a title (反映华城名府餐饮油烟问题): the taxonomy's name in the tuned
    /// variant; in the held-out one the feed's own word for it (its first wording's leaf), so
    /// the tuned vocabulary does not leak into the held-out set through its titles. No draw,
    /// so the records keep their other values.
    func titleWording(_ issue: IssueType, feed: Feed) -> String {
        guard isHeldOut else { return issue.name }
        let wording = HeldOutVocabulary.wording(issue, variant: options.variant)
        switch feed {
        case .petition: return String(wording.petition[0].label.split(separator: "/").last ?? Substring(issue.name))
        default: return wording.hotline[0].last ?? issue.name
        }
    }

    func petitionCategory(_ issue: IssueType, _ rng: inout SplitMix64) -> (code: String, label: String) {
        isHeldOut ? rng.pick(HeldOutVocabulary.wording(issue, variant: options.variant).petition) : (issue.petitionCode, issue.petitionLabel)
    }

    func patrolCategory(_ issue: IssueType, _ rng: inout SplitMix64) -> String {
        isHeldOut ? rng.pick(HeldOutVocabulary.wording(issue, variant: options.variant).patrol) : issue.patrolLabel
    }

    /// A held-out free-text address: no division at all most often (学府花园三栋), or a road
    /// and number only, full-width digits, 号楼/幢/栋 and Chinese numerals.
    func heldOutAddress(_ p: SampleRegistry.AddressPlace, _ rng: inout SplitMix64) -> String {
        let roadNo = p.road + "\(p.number)号"
        guard let compound = p.compound else {
            switch rng.weighted([40, 25, 20, 15]) {
            case 0: return roadNo
            case 1: return Fmt.fullWidthDigits(roadNo)
            case 2: return p.districtName + roadNo
            default: return p.communityName + roadNo + rng.pick(["", "附近", "门口"])
            }
        }
        var inner = compound
        if let b = p.building { inner += building(b, &rng) }
        if let u = p.unit, rng.chance(0.4) { inner += rng.chance(0.3) ? Fmt.chineseNumber(u) + "单元" : "\(u)单元" }
        switch rng.weighted([35, 15, 15, 15, 10, 10]) {
        case 0: return inner
        case 1: return Fmt.fullWidthDigits(inner)
        case 2: return roadNo
        case 3: return p.communityName + inner
        case 4: return p.streetName + inner
        default: return roadNo + inner
        }
    }

    /// A held-out building: Chinese numerals a third of the time, 幢, 栋 and 号楼 alike.
    func heldOutBuilding(_ n: Int, _ rng: inout SplitMix64) -> String {
        let number = rng.chance(0.33) ? Fmt.chineseNumber(n) : String(n)
        switch rng.weighted([30, 35, 35]) {
        case 0: return number + "幢"
        case 1: return number + "栋"
        default: return String(n) + "号楼"
        }
    }

    /// A held-out phone: +86 (with a space or hyphen), 3-4-4 hyphens or spaces, or plain.
    func heldOutPhone(_ digits: String, _ rng: inout SplitMix64) -> String {
        let mobile = digits.count == 11 && digits.hasPrefix("1")
        if mobile {
            let a = String(digits.prefix(3)), b = String(digits.dropFirst(3).prefix(4)), c = String(digits.suffix(4))
            switch rng.weighted([35, 15, 10, 15, 15, 10]) {
            case 0: return digits
            case 1: return "+86 " + digits
            case 2: return "+86-" + a + "-" + b + "-" + c
            case 3: return a + "-" + b + "-" + c
            case 4: return a + " " + b + " " + c
            default: return "+86 " + a + " " + b + " " + c
            }
        }
        let area = String(digits.prefix(3)), local = String(digits.dropFirst(3))
        switch rng.weighted([30, 25, 20, 25]) {
        case 0: return area + "-" + local
        case 1: return "(" + area + ")" + local
        case 2: return "+86 25 " + local
        default: return local // the local number alone, as Nanjing callers give it
        }
    }

    /// A held-out name as typed: spaces between given name and surname now and then.
    func heldOutName(_ name: String, _ rng: inout SplitMix64) -> String {
        rng.chance(0.12) ? String(name.prefix(1)) + " " + String(name.dropFirst()) : name
    }
}
