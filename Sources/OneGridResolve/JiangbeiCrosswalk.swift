/// The Jiangbei New Area (江北新区) crosswalk: Nanjing's own systems file seven streets under a
/// pseudo-district 320192 with local 12-digit codes, while the national codes place them under
/// 浦口区 (320111) and 六合区 (320116). Both forms occur in feeds and must meet.
///
/// Source: `reference/SOURCES.md`, "Jiangbei New Area", table of local codes seen in public
/// code of a Nanjing application against the national codes of `nanjing-divisions.csv`
/// (NBS 统计用区划代码, via modood/Administrative-divisions-of-China, 2022/2023 vintage).
public struct JiangbeiCrosswalk: Sendable, Hashable {
    /// The pseudo-district code Nanjing systems use for 江北新区.
    public static let pseudoDistrictCode = "320192"
    /// Its name.
    public static let pseudoDistrictName = "江北新区"

    /// Local 12-digit street code (e.g. `320192007000`) → national 9-digit street code (`320111001`).
    public let localToNational: [String: String]
    /// The inverse.
    public let nationalToLocal: [String: String]

    public init(localToNational: [String: String]) {
        self.localToNational = localToNational
        var inverse: [String: String] = [:]
        for (local, national) in localToNational { inverse[national] = local }
        nationalToLocal = inverse
    }

    /// The seven streets of SOURCES.md.
    public static let nanjing = JiangbeiCrosswalk(localToNational: [
        "320192007000": "320111001", // 泰山街道
        "320192008000": "320111002", // 顶山街道
        "320192009000": "320111003", // 沿江街道
        "320192010000": "320111007", // 盘城街道
        "320192006000": "320116001", // 大厂街道
        "320192004000": "320116004", // 葛塘街道
        "320192005000": "320116005", // 长芦街道
    ])

    /// The national street code for a local code, given as 12 digits (`320192007000`) or as
    /// its 9-digit street part (`320192007`); nil when the code is not a local Jiangbei code.
    public func national(forLocal code: String) -> String? {
        if code.utf8.count == 12 { return localToNational[code] }
        if code.utf8.count == 9 { return localToNational[code + "000"] }
        return nil
    }

    /// Whether a national street code is one of the Jiangbei streets.
    public func isJiangbei(street code: String) -> Bool { nationalToLocal[code] != nil }
}
