import OneGridPrivacy
import Testing

@Suite("Identifiers in free text")
struct IdentifierScannerTests {
    /// Text as typed, and the same text with its identifiers masked.
    static let masked: [(String, String)] = [
        // Mobiles: first 3 and last 4 digits stay.
        ("13912345678", "139****5678"),
        ("来电人13912345678反映", "来电人139****5678反映"),
        ("+8613912345678", "+86139****5678"),
        ("+86 139 1234 5678", "+86 139 **** 5678"),
        ("+86-139-1234-5678", "+86-139-****-5678"),
        ("008613912345678", "0086139****5678"),
        ("8613912345678", "86139****5678"),
        ("139-1234-5678", "139-****-5678"),
        ("139 1234 5678", "139 **** 5678"),
        ("139 12345678", "139 ****5678"),
        ("1391234 5678", "139**** 5678"),
        ("１３９１２３４５６７８", "１３９****５６７８"),
        ("１３９－１２３４－５６７８", "１３９－****－５６７８"),
        ("电话：13912345678。", "电话：139****5678。"),
        ("Tel13912345678", "Tel139****5678"),
        ("A3,13912345678", "A3,139****5678"),
        ("2020-06-26 13912345678", "2020-06-26 139****5678"),
        ("13912345678/13987654321", "139****5678/139****4321"),
        ("13912345678 13987654321", "139****5678 139****4321"),
        // ID numbers: first 3 and last 4 characters stay.
        ("320102195705194788", "320***********4788"),
        ("身份证32010219570519478X号", "身份证320***********478X号"),
        ("32010219570519478x", "320***********478x"),
        ("320102 19570519 4788", "320*** ******** 4788"),
        ("3201 0219 5705 1947 88", "320* **** **** **47 88"),
        ("３２０１０２１９５７０５１９４７８８", "３２０***********４７８８"),
        ("320102570519478", "320********9478"),
        ("320102 570519 478", "320*** *****9 478"),
        // Fixed lines: the area code and the last 4 digits stay.
        ("025-8468 1234", "025-**** 1234"),
        ("(025)84681234", "(025)****1234"),
        ("（025）8468-1234", "（025）****-1234"),
        ("025-84681234", "025-****1234"),
        ("02584681234", "025****1234"),
        ("0512-6789 1234", "0512-**** 1234"),
        ("0516-2345678", "0516-***5678"),
        ("+86 25 8468 1234", "+86 25 **** 1234"),
        ("电话84681234", "电话****1234"),
        ("座机：8468 1234", "座机：**** 1234"),
        ("联系电话是 84681234", "联系电话是 ****1234"),
        ("Tel: 84681234", "Tel: ****1234"),
    ]

    /// Text that holds no identifier and must come back unchanged.
    static let untouched: [String] = [
        "2020-06-26",
        "2020-06-26 14:05:31",
        "2020/06/26",
        "20200626140531",
        "12000元",
        "补偿款1,391,234元",
        "金额13912345.678元",
        "0.13912345678",
        "工单GD13912345678",
        "NJ-2020-13912345678",
        "ORDER_13912345678",
        "13912345678ABC",
        "98号",
        "新街口街道中山路98号3栋2单元1201室",
        "84681234",
        "订单 84681234",
        "1391234567",
        "139123456789",
        "12345678901",
        "32010219570519478",
        "3201021957051947889",
        "010",
        "没有数字的一段话，足够长，用来走快速路径。",
        "",
    ]

    @Test("identifiers in the forms people type are masked in place", arguments: masked)
    func masks(text: String, expected: String) {
        #expect(IdentifierScanner.redact(text) == expected)
    }

    @Test("dates, times, amounts, codes and house numbers are not identifiers", arguments: untouched)
    func leaves(text: String) {
        #expect(IdentifierScanner.redact(text) == text)
        #expect(IdentifierScanner.matches(in: text).isEmpty)
    }

    @Test("each match says what it found and where, in UTF-8 offsets")
    func matchKindsAndRanges() {
        let text = "王(025)84681234，+86 139 1234 5678，证320102195705194788"
        let found = IdentifierScanner.matches(in: text)
        let bytes = Array(text.utf8)
        #expect(found.map(\.kind) == [.landline, .mobile, .idNumber])
        #expect(found.map { String(decoding: bytes[$0.utf8Range], as: UTF8.self) }
                == ["(025)84681234", "+86 139 1234 5678", "320102195705194788"])
        #expect(found.map { $0.hidden.count } == [4, 4, 11])
    }

    @Test("a mobile and a landline in one sentence are both masked, separators kept")
    func sentence() {
        let text = "市民王先生（13912345678，座机025-84681234）于2020-06-26 14:05来电，反映98号楼噪音，涉及金额12000元。"
        #expect(IdentifierScanner.redact(text)
                == "市民王先生（139****5678，座机025-****1234）于2020-06-26 14:05来电，反映98号楼噪音，涉及金额12000元。")
    }

    @Test("damaged UTF-8 and lone bytes never crash the scan")
    func hostile() {
        let weird = String(decoding: [0xEF, 0xBC, 0x31, 0x33, 0x39, 0xEF, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0xEF, 0xBC], as: UTF8.self)
        _ = IdentifierScanner.redact(weird)
        let digitsOnly = String(repeating: "1 ", count: 10_000)
        #expect(IdentifierScanner.redact(digitsOnly) == digitsOnly)
        let manyMobiles = String(repeating: "13912345678,", count: 1000)
        #expect(IdentifierScanner.redact(manyMobiles) == String(repeating: "139****5678,", count: 1000))
    }
}
