import OneGridModel
import Testing

@Suite("Chinese numerals: the table Mappings/README.md documents")
struct ChineseNumberTests {
    static let table: [(String, Int?)] = [
        ("零", 0), ("三", 3), ("两", 2), ("十", 10), ("十二", 12), ("二十五", 25), ("一百零三", 103), ("一百一十", 110),
        ("二百五", 250), ("一千零五十", 1050), ("三千二百", 3200), ("一万零五百", 10_500), ("一万二", 12_000),
        ("三万二千", 32_000), ("三〇二", 302),
        ("", nil), ("二三十", nil), ("十百", nil), ("五万万", nil), ("万", nil), ("三人", nil), ("3", nil),
    ]

    @Test("each numeral reads as its value; malformed ones and other characters read as nothing", arguments: table)
    func value(_ c: (String, Int?)) {
        #expect(ChineseNumber.value(c.0) == c.1, "\(c.0)")
    }
}
