import OneGridMapping
import OneGridModel
import Testing

@Suite("12-hour Chinese times: the table Mappings/README.md documents")
struct ChineseClockTests {
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Timestamp? {
        Timestamp(beijingYear: 2020, month: 6, day: day, hour: hour, minute: minute, second: second)
    }

    static let table: [(String, Timestamp?)] = [
        ("2020年6月26日下午9时18分", at(26, 21, 18)),
        ("2020年6月26日 下午 9时18分", at(26, 21, 18)),
        ("2020年6月26日上午9点", at(26, 9)),
        ("2020年6月26日上午10点半", at(26, 10, 30)),
        ("2020年6月26日上午12点", at(26, 12)),
        ("2020年6月26日早上7点整", at(26, 7)),
        ("2020年6月26日中午12点", at(26, 12)),
        ("2020年6月26日中午1点", at(26, 13)),
        ("2020年6月26日下午12点", at(26, 12)),
        ("2020年6月26日下午15点", at(26, 15)),
        ("2020年6月26日傍晚6点", at(26, 18)),
        ("2020年6月26日晚上8点", at(26, 20)),
        ("2020年6月26日晚上12点", at(27, 0)),
        ("2020年6月26日凌晨12点", at(26, 0)),
        ("2020年6月26日凌晨1点5分", at(26, 1, 5)),
        ("2020-06-26 下午3:05", at(26, 15, 5)),
        ("2020-06-26 下午3:05:09", at(26, 15, 5, 9)),
        ("2020/6/26 下午3时5分9秒", at(26, 15, 5, 9)),
        ("2020年6月26日下午三点半", at(26, 15, 30)),
        ("2020年6月26日晚上十一点四十五分", at(26, 23, 45)),
    ]

    @Test("a period word turns the hour after it into the hour of the day", arguments: table)
    func reads(_ c: (String, Timestamp?)) throws {
        #expect(try DateTimeParser.standard.parse(c.0) == c.1, "\(c.0)")
    }

    static let refused = [
        "2020年6月26日下午", "2020年6月26日下午九", "下午9时", "2020年6月26日上午13点", "2020年6月26日凌晨7点",
        "2020年6月26日晚上3点", "2020年6月26日下午9时61分", "2020-06-26 10:00 下午3点", "2020年6月26日下午9时18分左右",
    ]

    @Test("no hour, no date, an hour outside the period, a bad minute or trailing words: not a date-time", arguments: refused)
    func refuses(_ text: String) {
        #expect(throws: DateTimeParser.Problem.self, "\(text)") { try DateTimeParser.standard.parse(text) }
    }

    @Test("the date before the period is read by the rule's own formats")
    func narrowedFormats() throws {
        let parser = try DateTimeParser(patterns: ["yyyy.M.d"], forms: [])
        #expect(try parser.parse("2020.6.26 下午2点") == Self.at(26, 14))
        #expect(throws: DateTimeParser.Problem.self) { try parser.parse("2020年6月26日下午2点") }
    }
}
