import OneGridModel
@testable import OneGridResolve

/// A small registry built from real Nanjing district and street codes
/// (`reference/nanjing-divisions.csv`). Communities are synthetic (street code + serial),
/// except the names the seed documents use: 雄州街道桥西社区, 仙林街道杉湖路社区 and
/// 南大和园社区, 星甸街道星兴社区. A synthetic 新华社区 under both 雄州街道 and 泰山街道 tests
/// disambiguation; 竹镇镇大泉村 (serial 201) tests villages.
enum TestRegistry {
    static let divisions: [Division] = [
        Division(code: "320116", name: "六合区", level: .district, parentCode: "3201"),
        Division(code: "320116001", name: "大厂街道", level: .street, parentCode: "320116"),
        Division(code: "320116006", name: "雄州街道", level: .street, parentCode: "320116"),
        Division(code: "320116110", name: "竹镇镇", level: .street, parentCode: "320116"),
        Division(code: "320116006001", name: "桥西社区", level: .community, parentCode: "320116006"),
        Division(code: "320116006002", name: "南门社区", level: .community, parentCode: "320116006"),
        Division(code: "320116001001", name: "凤凰山社区", level: .community, parentCode: "320116001"),
        Division(code: "320116110201", name: "大泉村", level: .community, parentCode: "320116110"),
        Division(code: "320113", name: "栖霞区", level: .district, parentCode: "3201"),
        Division(code: "320113005", name: "栖霞街道", level: .street, parentCode: "320113"),
        Division(code: "320113007", name: "仙林街道", level: .street, parentCode: "320113"),
        Division(code: "320113007001", name: "杉湖路社区", level: .community, parentCode: "320113007"),
        Division(code: "320113007002", name: "南大和园社区", level: .community, parentCode: "320113007"),
        Division(code: "320113450", name: "南京经济技术开发区", level: .street, parentCode: "320113"),
        Division(code: "320111", name: "浦口区", level: .district, parentCode: "3201"),
        Division(code: "320111001", name: "泰山街道", level: .street, parentCode: "320111"),
        Division(code: "320111008", name: "星甸街道", level: .street, parentCode: "320111"),
        Division(code: "320111001001", name: "新华社区", level: .community, parentCode: "320111001"),
        Division(code: "320116006003", name: "新华社区", level: .community, parentCode: "320116006"),
        Division(code: "320111008001", name: "星兴社区", level: .community, parentCode: "320111008"),
        Division(code: "320102", name: "玄武区", level: .district, parentCode: "3201"),
        Division(code: "320102010", name: "玄武湖街道", level: .street, parentCode: "320102"),
    ]

    static let gazetteer = Gazetteer(divisions: divisions)
    static let normalizer = AddressNormalizer(gazetteer: gazetteer)
}

extension NormalizedAddress {
    /// Every field in one line, nil fields left out, for exact table comparisons.
    var summary: String {
        var parts: [String] = []
        func add(_ label: String, _ value: String?) { if let value { parts.append("\(label):\(value)") } }
        add("d", division.districtCode)
        add("s", division.streetCode)
        add("c", division.communityCode)
        add("uc", unresolvedCommunity)
        add("road", road)
        add("no", number)
        add("cpd", compound)
        add("bld", building)
        add("unit", unit)
        add("room", room)
        add("grp", group)
        add("rest", remainder)
        return parts.joined(separator: " ")
    }
}
