import OneGridPrivacy
import Testing

/// Every source value shown to people goes through one rule.
@Suite("Source values shown to people")
struct SourceValueMaskTests {
    let mask = SourceValueMask.standard

    /// A value, the kind of field it was read from, and what may be shown of it.
    static let shown: [(String, SourceValueKind, String)] = [
        // Any field: identifiers masked in place, the rest shown.
        ("13912345678", .text, "139****5678"),
        ("2020-06-01", .text, "2020-06-01"),
        ("已办结", .text, "已办结"),
        ("+86 139 1234 5678", .text, "+86 139 **** 5678"),
        ("王小明 320102 19570519 4788", .text, "王小明 320*** ******** 4788"),
        // A name field: the model's name mask, whatever the field holds.
        ("王小明", .personName, "王**"),
        (" 欧阳 娜娜 ", .personName, "欧****"),
        ("13912345678", .personName, "1**********"),
        // Phone and ID fields: recognised numbers as everywhere, damaged ones nearly all hidden.
        ("139-1234-5678", .phone, "139-****-5678"),
        ("1391234567", .phone, "********67"),
        ("1.38E+10", .phone, "*.**E+*0"),
        ("84681234", .phone, "******34"),
        ("王小明", .phone, "王**"),
        ("不详", .phone, "不*"),
        ("320102195705194788", .idNumber, "320***********4788"),
        ("320102195705194785", .idNumber, "320***********4785"),
        ("32010219570519478", .idNumber, "*************9478"),
        ("3.20102E+17", .idNumber, "*.*****E+17"),
        ("", .idNumber, ""),
        // Control characters escaped: a shown value stays on one line.
        ("a\nb", .text, "a\\nb"),
        ("\u{1B}[2J", .text, "\\u001b[2J"),
    ]

    @Test("each kind of field is shown by its rule", arguments: shown)
    func show(value: String, kind: SourceValueKind, expected: String) {
        #expect(mask.show(value, as: kind) == expected)
    }

    @Test("a long value is cut with a marker saying how much was left out")
    func cut() {
        let long = String(repeating: "好", count: 100)
        #expect(mask.show(long, as: .text) == String(repeating: "好", count: 60) + "…(+40 characters)")
        #expect(mask.show(String(repeating: "好", count: 60), as: .text) == String(repeating: "好", count: 60))
        #expect(SourceValueMask(limit: 5).show("abcdefg", as: .text) == "abcde…(+2 characters)")
    }

    @Test("a value is masked before it is cut, so a cut never shows half an identifier")
    func maskedThenCut() {
        let value = String(repeating: "甲", count: 55) + "13912345678" + "乙乙乙乙"
        #expect(mask.show(value, as: .text) == String(repeating: "甲", count: 55) + "139**" + "…(+10 characters)")
    }

    @Test("no clear identifier survives in any kind of field", arguments: SourceValueKind.allCases)
    func noClearIdentifier(kind: SourceValueKind) {
        // Each value with the part of it the mask must hide.
        let values = [("13912345678", "1234"), ("+8613912345678", "1234"), ("139 1234 5678", "1234"),
                      ("１３９１２３４５６７８", "１２３４"), ("320102195705194788", "0519"),
                      ("320102 19570519 4788", "0519"), ("025-8468 1234", "8468"), ("(025)84681234", "8468")]
        for (value, secret) in values {
            let shown = mask.show("x " + value + " y", as: kind)
            #expect(!shown.contains(secret), "\(kind): \(shown)")
        }
    }
}
