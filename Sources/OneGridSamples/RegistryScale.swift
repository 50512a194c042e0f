/// How the sample registry grows with the volume of events: rows of communities per street and
/// compounds and addresses per community. Scale 1 is the hand-seeded registry, unchanged.
struct RegistryScale {
    typealias CommunitySeed = (name: String, urbanRural: String, compounds: [String], exclusive: String?)

    /// Rows of communities per street (row 0 holds the seeded communities).
    let rows: Int
    /// Compounds and standard addresses of a community, times the seeded ones.
    let addressFactor: Int

    init(_ scale: Int) {
        let scale = max(1, scale)
        var rows = 1
        while rows * rows < scale { rows += 1 }
        self.rows = rows
        addressFactor = (scale + rows - 1) / rows
    }

    /// Above scale 1 (scale 1 keeps the seeded registry's draws exactly).
    var scaled: Bool { rows > 1 || addressFactor > 1 }

    /// Rows alternate north and south of the street's centre line: 0, +1, −1, +2, −2, …
    func rowOffset(_ row: Int) -> Double {
        row == 0 ? 0 : Double((row + 1) / 2) * (row % 2 == 1 ? 1 : -1)
    }

    /// The communities of `street`, row by row: (row, column, seed). Row 0 is the seeded
    /// communities (with synthetic compounds added when the scale is above 1); later rows copy
    /// their column's 城乡分类代码 and compound count under synthetic names, without an
    /// exclusive grid. `named` counts the synthetic names given so far in the city, so names do
    /// not repeat (communities up to 4,096, compounds up to 65,536).
    func communities(of street: StreetSeed, named: inout SyntheticNames) -> [(row: Int, column: Int, seed: CommunitySeed)] {
        var result: [(row: Int, column: Int, seed: CommunitySeed)] = []
        for row in 0..<rows {
            for (column, seeded) in street.communities.enumerated() {
                if row == 0 {
                    let extra = seeded.compounds.count * (addressFactor - 1)
                    let compounds = seeded.compounds + Self.compoundNames(count: extra, first: named.compounds)
                    named.compounds += extra
                    result.append((row, column, (seeded.name, seeded.urbanRural, compounds, seeded.exclusive)))
                } else {
                    let name = Self.communityStem(named.communities) + (seeded.urbanRural == "220" ? "村" : "社区")
                    named.communities += 1
                    let compounds = Self.compoundNames(count: seeded.compounds.count * addressFactor, first: named.compounds)
                    named.compounds += compounds.count
                    result.append((row, column, (name, seeded.urbanRural, compounds, nil)))
                }
            }
        }
        return result
    }

    // Characters that are no road, number, unit, direction or division word, so synthetic names
    // read as names and never as part of an address's structure.
    static let communityFirst = Array("安康乐福瑞祥泰宁兴盛丰裕嘉怡德善").map(String.init)
    static let communitySecond = Array("和顺庆昌荣华茂秀景泉润清雅馨悦欣").map(String.init)
    static let communityThird = Array("春松柏桐桂枫杨柳桃杏樱芳晖晴曦霖").map(String.init)
    static let compoundFirst = Array("锦金翠碧紫银丹香玉云星蓝绿凤鹿朗").map(String.init)
    static let compoundSecond = Array("绣色竹水荆杏樟棠梧蓉亭光辉岸湖峰").map(String.init)
    static let compoundThird = Array("苑庭轩阁舍邸馆墅榭廷居筑汀湾府台").map(String.init)
    static let compoundSuffixes = ["花园", "家园", "雅苑", "名邸", "新寓", "佳苑", "公馆", "华庭",
                                   "雅居", "嘉苑", "名居", "丽舍", "公寓", "新苑", "雅筑", "尚品"]

    /// A three-character community stem, distinct for the first 4,096 indices.
    static func communityStem(_ index: Int) -> String {
        communityFirst[index % 16] + communitySecond[(index / 16) % 16] + communityThird[(index / 256) % 16]
    }

    /// `count` compound names starting at `first` in the name sequence (distinct for 65,536 indices).
    static func compoundNames(count: Int, first: Int) -> [String] {
        (0..<count).map { i in
            // Every component moves with the index (a bijection of the 65,536 indices), so any two
            // of 48 consecutive names share at most two characters and fuzzy matching cannot take
            // one compound of a community for another.
            let n = (first + i) % 65_536
            let a = n % 16, q1 = (n / 16) % 16, q2 = (n / 256) % 16, q3 = n / 4096
            return compoundFirst[a] + compoundSecond[(a + q1) % 16] + compoundThird[(a + 3 * q1 + q2 + 3) % 16]
                + compoundSuffixes[(a + 5 * q1 + q2 + q3) % 16]
        }
    }
}

/// Counters of the synthetic community and compound names given so far.
struct SyntheticNames {
    var communities = 0
    var compounds = 0
}
