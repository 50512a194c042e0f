/// Whole numbers written in Chinese numerals, as departments type counts and times:
/// positional (十二, 二十五, 一百零三, 三千二百, 一万零五百), colloquial abbreviations
/// (二百五 = 250, 一万二 = 12,000), digit by digit (三〇二 = 302), with 两 for 2.
///
/// Lives in the model so that the mapping (people counts, 12-hour times) and the address
/// normaliser read numerals by one rule.
public enum ChineseNumber {
    static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
        "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    static let units: [Character: Int] = ["十": 10, "百": 100, "千": 1000]

    /// Whether `c` is a numeral character (a digit, 十 百 千 or 万).
    public static func isNumeral(_ c: Character) -> Bool { digits[c] != nil || units[c] != nil || c == "万" }

    /// The value of a text made only of numeral characters; nil when empty, when another
    /// character occurs, or when the numeral is malformed (二三十, 十百, 五万万).
    public static func value<S: StringProtocol>(_ text: S) -> Int? {
        let chars = Array(text)
        guard !chars.isEmpty, chars.allSatisfy(isNumeral) else { return nil }
        if !chars.contains(where: { units[$0] != nil || $0 == "万" }) {
            // Digit by digit: 三〇二 → 302 (at most 9 digits, so it fits any Int).
            guard chars.count <= 9 else { return nil }
            return chars.reduce(0) { $0 * 10 + digits[$1]! }
        }
        var total = 0
        var section = 0
        var current: Int?
        var lastUnit = Int.max
        var zeroSinceUnit = false
        var previousWasUnit = false
        for (i, c) in chars.enumerated() {
            if let d = digits[c] {
                if d == 0 {
                    // 一百零三: a zero marks a skipped place; two digits in a row are malformed.
                    guard current == nil else { return nil }
                    zeroSinceUnit = true
                    previousWasUnit = false
                    continue
                }
                guard current == nil else { return nil }
                // 二百五, 一万二: a last digit right after a unit counts in the next lower place.
                if i == chars.count - 1, previousWasUnit, !zeroSinceUnit, lastUnit >= 100 {
                    section += d * (lastUnit == Int.max ? 1000 : lastUnit / 10)
                    return total + section
                }
                current = d
                previousWasUnit = false
            } else if let unit = units[c] {
                guard unit < lastUnit else { return nil }
                // 十二: a leading 十 means one ten.
                guard let n = current ?? (unit == 10 ? 1 : nil) else { return nil }
                section += n * unit
                lastUnit = unit
                current = nil
                zeroSinceUnit = false
                previousWasUnit = true
            } else {
                // 万: everything so far counts in ten-thousands; only one 万 a number.
                section += current ?? 0
                guard section > 0, total == 0 else { return nil }
                total = section * 10_000
                section = 0
                current = nil
                lastUnit = Int.max
                zeroSinceUnit = false
                previousWasUnit = true
            }
        }
        return total + section + (current ?? 0)
    }
}
