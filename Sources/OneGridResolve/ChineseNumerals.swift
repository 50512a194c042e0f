/// Chinese numerals as addresses write them: positional (二十一, 一百零五, 十二) and
/// digit-by-digit (三〇二, 一零一), with 两 for 2.
enum ChineseNumerals {
    static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
        "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    static let multipliers: [Character: Int] = ["十": 10, "百": 100, "千": 1000]

    static func isNumeral(_ c: Character) -> Bool { digits[c] != nil || multipliers[c] != nil }

    /// The value of a run of numeral characters, as a decimal string; nil if malformed.
    static func value(_ run: ArraySlice<Character>) -> String? {
        guard !run.isEmpty else { return nil }
        if !run.contains(where: { multipliers[$0] != nil }) {
            // Digit by digit: 三〇二 → 302.
            return String(run.map { Character(String(digits[$0]!)) })
        }
        var total = 0, current = 0
        for c in run {
            if let d = digits[c] {
                current = d
            } else if let m = multipliers[c] {
                total += (current == 0 ? 1 : current) * m
                current = 0
            }
        }
        return String(total + current)
    }
}
