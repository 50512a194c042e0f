import OneGridModel

/// A synthetic person: the truth behind every caller, petitioner and grid worker.
public struct SamplePerson: Sendable, Hashable {
    /// Stable identifier in the ground truth (`P0000042`, `PW0007` for grid workers).
    public let personID: String
    public let name: String
    /// The 18-character ID number with a valid GB 11643 check character.
    public let idNumber: String
    /// An 11-digit mobile number.
    public let mobile: String
    /// A Nanjing fixed line (`025` + 8 digits) some people call from, or nil.
    public let landline: String?
    /// Index of the person's home in the registry's standard addresses.
    public let homeAddressIndex: Int

    /// The old 15-digit form of the ID number (only for people born in the 1900s).
    public var oldIDNumber: String? {
        let chars = Array(idNumber)
        guard chars[6] == "1", chars[7] == "9" else { return nil }
        return String(chars[0..<6]) + String(chars[8..<17])
    }

    /// `张先生` / `王女士`: how callers often give their name.
    public var politeName: String {
        let male = (Int(String(Array(idNumber)[16])) ?? 0) % 2 == 1
        return String(name.prefix(1)) + (male ? "先生" : "女士")
    }
}

/// Names, ID numbers and phones for synthetic people: common characters only (all within
/// GB2312, so petitions declared GB2312 can carry them).
public enum PeopleFactory {
    static let surnames: [String] = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯史陶贺顾毛龚邵钱严戴孔汤").map(String.init)
    static let surnameWeights: [Double] = (0..<surnames.count).map { 1.0 / Double($0 + 4) }
    static let givenSingle: [String] = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉玲华飞鹏宇浩凯婷雪琳晨欣红兰萍慧颖斌波峰建文云亮健俊彬燕莉青梅").map(String.init)
    static let givenDouble: [String] = ["秀英", "秀兰", "桂英", "建华", "建国", "志强", "海燕", "玉兰", "子涵", "春梅", "国庆",
                                        "卫东", "德明", "家豪", "俊杰", "晓东", "文静", "雨涵", "明辉", "立新", "红梅", "玉珍",
                                        "志刚", "海峰", "丽华", "金凤", "小红", "永生", "思远", "佳怡", "浩然", "晓燕"]
    /// Address codes seen in Nanjing ID numbers, current and historical (320123 六合县,
    /// 320122 江浦县, 320121 江宁县 before they became districts).
    static let idAreaCodes = ["320116", "320113", "320111", "320102", "320106", "320104", "320123", "320122",
                              "320121", "320105", "320114", "321002", "340104", "320381"]
    static let mobilePrefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                                 "155", "157", "158", "159", "176", "177", "180", "181", "182", "185", "187", "188", "189", "199"]

    static func name(_ rng: inout SplitMix64) -> String {
        let surname = surnames[rng.weighted(surnameWeights)]
        return surname + (rng.chance(0.55) ? rng.pick(givenDouble) : rng.pick(givenSingle))
    }

    /// A valid 18-character ID number born in `years`.
    static func idNumber(_ rng: inout SplitMix64, years: ClosedRange<Int>, area: String? = nil) -> String {
        let year = rng.int(in: years), month = rng.int(in: 1...12)
        let day = rng.int(in: 1...CivilDate.daysIn(month: month, year: year))
        let first17 = (area ?? rng.pick(idAreaCodes)) + String(year) + Fmt.pad(month, 2) + Fmt.pad(day, 2)
            + Fmt.pad(rng.int(in: 1...999), 3)
        return first17 + String(IDNumber.checkCharacter(for: Array(first17.utf8)))
    }

    static func mobile(_ rng: inout SplitMix64) -> String {
        rng.pick(mobilePrefixes) + Fmt.pad(rng.below(100_000_000), 8)
    }

    static func landline(_ rng: inout SplitMix64) -> String {
        "025" + String(rng.pick([5, 8, 6])) + Fmt.pad(rng.below(10_000_000), 7)
    }

    /// Person `index` of the population of `seed`, regenerated on demand (no table kept).
    public static func person(seed: UInt64, index: Int, addressCount: Int) -> SamplePerson {
        var rng = SplitMix64(seed: seed, stream: 2, index: UInt64(index))
        let name = name(&rng)
        let id = idNumber(&rng, years: 1938...2002)
        let mobile = mobile(&rng)
        let land = rng.chance(0.08) ? landline(&rng) : nil
        return SamplePerson(personID: "P" + Fmt.pad(index + 1, 7), name: name, idNumber: id, mobile: mobile,
                            landline: land, homeAddressIndex: rng.below(max(1, addressCount)))
    }
}
