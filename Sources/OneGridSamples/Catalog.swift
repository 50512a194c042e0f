/// One issue type of the unified taxonomy and the label each department's feed uses for it.
public struct IssueType: Sendable, Hashable {
    /// Unified category code, e.g. `HB.01`.
    public let code: String
    /// Unified name, e.g. 餐饮油烟.
    public let name: String
    /// The 12345 classification path, levels in order (joined by `>` in current exports,
    /// `/` or `-` in older ones).
    public let hotlinePath: [String]
    /// The petition system's 4-digit category code and its label (`环境保护/油烟污染`).
    public let petitionCode: String
    public let petitionLabel: String
    /// The patrol app's category (`环境保护>餐饮油烟`).
    public let patrolLabel: String
    /// The kind of unit that handles it, prefixed with a district or street name in feeds.
    let department: String
    let departmentLevel: DepartmentLevel
    /// Short phrases a caller or petitioner uses for it (GB2312 only).
    let complaints: [String]
    /// Short phrases a grid worker writes in a ticket.
    let findings: [String]
    /// What the handling unit reports back.
    let results: [String]
    /// Relative frequency among incidents.
    let weight: Double

    /// The 12345 classification joined with `separator`.
    public func hotlineCategory(separator: String = ">") -> String {
        hotlinePath.joined(separator: separator)
    }

    enum DepartmentLevel: Sendable { case district, street }
}

/// The label tables of the sample feeds: issue types, statuses and the other closed
/// vocabularies, public so that tests and mapping files can be checked against them.
public enum SampleCatalog {
    /// The unified issue types, with each feed's label.
    public static let issueTypes: [IssueType] = [
        IssueType(code: "HB.01", name: "餐饮油烟", hotlinePath: ["城乡建设", "市容环卫", "餐饮油烟"],
                  petitionCode: "1102", petitionLabel: "环境保护/油烟污染", patrolLabel: "环境保护>餐饮油烟",
                  department: "生态环境局", departmentLevel: .district,
                  complaints: ["楼下饭店油烟直排，家里不能开窗", "烧烤店油烟很大，没有安装油烟净化设备", "餐馆排烟管道对着住户窗户"],
                  findings: ["沿街餐饮店油烟净化器未开启", "烧烤摊油烟直排"], results: ["已责令商户安装油烟净化设备并定期清洗", "执法人员现场检查，商户已整改"],
                  weight: 10),
        IssueType(code: "MD.02", name: "拖欠工资", hotlinePath: ["劳动社保", "劳动关系", "拖欠工资"],
                  petitionCode: "0305", petitionLabel: "劳动社保/拖欠工资", patrolLabel: "矛盾纠纷>劳资纠纷",
                  department: "人力资源和社会保障局", departmentLevel: .district,
                  complaints: ["公司拖欠三个月工资未发", "工地包工头拖欠农民工工资", "离职后单位不结算工资"],
                  findings: ["工人聚集讨要工资", "施工队与总包方工资纠纷"], results: ["劳动监察大队已约谈用人单位，工资已发放", "已引导来电人申请劳动仲裁"],
                  weight: 7),
        IssueType(code: "AQ.01", name: "消防通道堵塞", hotlinePath: ["公共安全", "消防安全", "消防通道堵塞"],
                  petitionCode: "1401", petitionLabel: "公共安全/消防安全", patrolLabel: "安全隐患>消防通道堵塞",
                  department: "消防救援大队", departmentLevel: .district,
                  complaints: ["小区消防通道长期停放车辆", "楼道里堆放杂物和电动车", "消防通道被地桩锁占用"],
                  findings: ["消防通道停放车辆", "楼道堆放杂物，电动车楼道充电"], results: ["已联系物业清理通道并设置禁停标志", "已现场督促清理"],
                  weight: 8),
        IssueType(code: "CG.01", name: "占道经营", hotlinePath: ["城乡建设", "市容环卫", "占道经营"],
                  petitionCode: "0810", petitionLabel: "城乡建设/市容管理", patrolLabel: "城市管理>占道经营",
                  department: "城管科", departmentLevel: .street,
                  complaints: ["路边摊贩占道经营，影响通行", "水果店把货架摆到人行道上", "早点摊占用盲道"],
                  findings: ["店外占道经营", "流动摊贩占道"], results: ["城管队员已劝离摊贩", "已督促商户退店经营"],
                  weight: 10),
        IssueType(code: "MD.03", name: "物业纠纷", hotlinePath: ["城乡建设", "物业管理", "物业服务"],
                  petitionCode: "0812", petitionLabel: "城乡建设/物业管理", patrolLabel: "矛盾纠纷>物业纠纷",
                  department: "物业办", departmentLevel: .street,
                  complaints: ["物业服务差，电梯经常故障", "物业擅自上调物业费", "小区公共收益不公开"],
                  findings: ["业主与物业因停车费发生争执", "物业服务纠纷"], results: ["街道物业办已约谈物业公司，电梯已维修", "已组织业主与物业协商"],
                  weight: 9),
        IssueType(code: "HB.02", name: "施工噪声", hotlinePath: ["环境保护", "噪声污染", "施工噪声"],
                  petitionCode: "1103", petitionLabel: "环境保护/噪声污染", patrolLabel: "环境保护>施工噪声",
                  department: "生态环境局", departmentLevel: .district,
                  complaints: ["工地夜间施工噪声扰民", "凌晨还在打桩，无法休息", "装修噪声持续到晚上十点"],
                  findings: ["工地夜间施工", "施工现场噪声较大"], results: ["已责令工地停止夜间施工", "已核查夜间施工许可，督促文明施工"],
                  weight: 9),
        IssueType(code: "CG.03", name: "暴露垃圾", hotlinePath: ["城乡建设", "市容环卫", "垃圾清运"],
                  petitionCode: "0811", petitionLabel: "城乡建设/环境卫生", patrolLabel: "环境卫生>暴露垃圾",
                  department: "环卫所", departmentLevel: .street,
                  complaints: ["垃圾桶满了好几天没人清运", "小区门口堆放建筑垃圾", "垃圾房异味很大"],
                  findings: ["路边暴露垃圾", "绿化带内堆放垃圾"], results: ["环卫所已安排清运", "已清理并加强巡查"],
                  weight: 10),
        IssueType(code: "CG.04", name: "道路破损", hotlinePath: ["交通运输", "道路管理", "道路破损"],
                  petitionCode: "0901", petitionLabel: "交通运输/道路设施", patrolLabel: "城市管理>道路破损",
                  department: "交通运输局", departmentLevel: .district,
                  complaints: ["路面有大坑，电动车容易摔倒", "人行道地砖松动破损", "窨井盖缺失存在安全隐患"],
                  findings: ["路面坑洼", "井盖破损"], results: ["养护单位已修补路面", "已更换井盖"],
                  weight: 7),
        IssueType(code: "MD.01", name: "邻里纠纷", hotlinePath: ["社会管理", "邻里关系", "邻里纠纷"],
                  petitionCode: "1601", petitionLabel: "社会管理/邻里纠纷", patrolLabel: "矛盾纠纷>邻里纠纷",
                  department: "综治中心", departmentLevel: .street,
                  complaints: ["楼上邻居漏水不处理", "邻居在楼道堆放杂物发生争吵", "邻居养狗扰民"],
                  findings: ["邻里因漏水发生纠纷", "邻里噪声纠纷"], results: ["社区调解员已调解，双方达成一致", "已组织双方调解"],
                  weight: 8),
        IssueType(code: "MS.01", name: "供水供电", hotlinePath: ["城乡建设", "供水供电", "停水"],
                  petitionCode: "0815", petitionLabel: "城乡建设/供水供电", patrolLabel: "民生服务>供水供电",
                  department: "水务局", departmentLevel: .district,
                  complaints: ["小区停水一天没有通知", "水压太低，高层用不上水", "经常停电，影响生活"],
                  findings: ["供水管道漏水", "路灯线路故障"], results: ["供水公司已抢修，供水恢复", "已修复线路"],
                  weight: 6),
        IssueType(code: "ZA.01", name: "治安隐患", hotlinePath: ["公共安全", "社会治安", "治安隐患"],
                  petitionCode: "1502", petitionLabel: "政法/社会治安", patrolLabel: "治安隐患>可疑人员",
                  department: "派出所", departmentLevel: .street,
                  complaints: ["小区门禁损坏，外来人员随意进出", "夜间有人聚集喝酒闹事", "出租房人员复杂"],
                  findings: ["可疑人员在小区徘徊", "出租房未登记"], results: ["派出所已加强巡逻", "已登记出租房人员信息"],
                  weight: 5),
        IssueType(code: "AQ.02", name: "燃气安全", hotlinePath: ["公共安全", "燃气安全", "燃气泄漏"],
                  petitionCode: "1402", petitionLabel: "公共安全/燃气安全", patrolLabel: "安全隐患>燃气隐患",
                  department: "城市管理局", departmentLevel: .district,
                  complaints: ["楼道里有燃气味", "饭店违规使用液化气瓶", "燃气管道老化"],
                  findings: ["餐饮店液化气瓶未固定", "燃气软管老化"], results: ["燃气公司已上门检修", "已督促商户整改"],
                  weight: 5),
    ]

    /// The issue type with a unified code.
    public static func issueType(code: String) -> IssueType? {
        issueTypes.first { $0.code == code }
    }

    public static let hotlineStatuses = ["待受理", "已派单", "办理中", "已办结", "已回访", "退单", "已撤销"]
    public static let petitionStatuses = ["登记", "受理", "办理中", "办结", "不予受理"]
    public static let patrolStatuses = ["reported", "dispatched", "processing", "closed", "rejected"]
    public static let satisfactions = ["非常满意", "满意", "基本满意", "不满意", "不清楚", "未评价", ""]
    public static let hotlineChannels = ["电话", "网站", "微信", "手机APP", "领导信箱"]
    public static let hotlineNatures = ["咨询", "求助", "投诉", "举报", "建议", "表扬", "感谢", "其他"]
    public static let urgencies = ["一般", "紧急", "特急"]
    public static let petitionForms = ["来信", "来访", "网上信访", "电话"]
    public static let workerRoles = ["专职网格员", "兼职网格员", "政法网格员"]

    /// The hotline columns of the current export, in its order.
    public static let hotlineColumns = [
        "工单编号", "受理时间", "诉求渠道", "诉求类型", "紧急程度", "来电人", "来电号码", "证件号码",
        "问题分类", "标题", "诉求内容", "所属区", "所属街道", "所属社区", "事发地址", "经度", "纬度",
        "承办单位", "派单时间", "办结时间", "工单状态", "办理结果", "满意度", "是否重复件", "关联工单编号",
    ]
    /// Names older exports use for some columns (current → older).
    public static let hotlineAliases = ["工单编号": "工单号", "受理时间": "来电时间"]
    /// The extra column some exports add, which no mapping knows.
    public static let hotlineExtraColumn = "坐席工号"

    /// Values of `source` in the ground-truth files.
    public static let truthSources = ["hotline", "petition", "patrol"]
    /// Values of `role` in `truth/parties.csv`, per source.
    public static let truthRoles = ["hotline": "caller", "petition": "petitioner", "patrol": "reporter"]
}
