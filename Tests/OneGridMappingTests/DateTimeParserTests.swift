import OneGridMapping
import OneGridModel
import Testing

@Suite("Date-time forms of the feeds")
struct DateTimeParserTests {
    static let expected = Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 14, minute: 5)!

    @Test("every hotline form gives the same instant", arguments: [
        "2020-06-23 14:05", "2020-06-23 14:05:00", "2020/6/23 14:05", "2020年6月23日 14时05分", "20200623140500",
        "2020-06-23T14:05:00+08:00", "2020-06-23T06:05:00Z", "2020-06-23T14:05:00", "２０２０-０６-２３ １４:０５",
    ])
    func forms(_ text: String) throws {
        #expect(try DateTimeParser.standard.parse(text) == Self.expected)
    }

    @Test("an Excel serial is days since 1899-12-30, Beijing time")
    func excelSerial() throws {
        // 43994.5868 → 2020-06-12 14:05:00 (0.5868 of a day = 14:04:59.5, rounded).
        #expect(try DateTimeParser.standard.parse("43994.5868") == Timestamp(beijingYear: 2020, month: 6, day: 12, hour: 14, minute: 5))
    }

    @Test("epoch milliseconds and seconds")
    func epochs() throws {
        #expect(try DateTimeParser.standard.parse("1592892300000") == Self.expected)
        #expect(try DateTimeParser.standard.parse("1592892300") == Self.expected)
    }

    @Test("null placeholders and empty text mean no date")
    func nulls() throws {
        #expect(try DateTimeParser.standard.parse("0001-01-01T00:00:00") == nil)
        #expect(try DateTimeParser.standard.parse("  ") == nil)
    }

    @Test("garbage is refused with the text")
    func garbage() {
        #expect(throws: DateTimeParser.Problem.unrecognised("明天上午")) { try DateTimeParser.standard.parse("明天上午") }
    }

    @Test("a bad pattern letter is refused when compiled")
    func badPattern() {
        #expect(throws: DateTimeParser.Problem.badPattern("yyyy-MM-dd QQ", reason: "unknown pattern letter 'Q' (use yyyy M d H m s)")) {
            try DateTimeParser(patterns: ["yyyy-MM-dd QQ"])
        }
    }
}
