import Foundation
import Testing
@testable import OneGridMapping

@Suite("Dates skip the period-word search only where it cannot find a word")
struct ChineseClockPrefilterTests {
    static let texts = [
        "2020-06-23 14:05:31", "2020/6/23 14:05", "20200623140531", "43994.5868", "",
        "2020年6月23日 14时05分", "２０２０年６月２３日", "2020年6月26日下午9时18分", "2020-06-26 下午3:05",
        "2020年6月26日夜\u{F9E9}11点", "2020年6月26日\u{F955}晨1点", "中午\u{301}12点", "下\u{301}午3点",
        "\u{2F800}", "晚 上8点", "夜间", "早", "🙂2020年",
    ]

    @Test("a text the pre-check passes over holds no word Foundation's search finds", arguments: texts)
    func soundness(_ text: String) {
        if !ChineseClock.mayHoldWord(text) {
            #expect(ChineseClock.words.allSatisfy { text.range(of: $0.0) == nil })
            #expect(ChineseClock.split(text) == nil)
        }
    }

    @Test("plain dates, ASCII or 年月日, need no search; a period word or a compatibility ideograph does")
    func whichTextsAreSearched() {
        #expect(!ChineseClock.mayHoldWord("2020/6/23 14:05"))
        #expect(!ChineseClock.mayHoldWord("2020年6月23日 14时05分"))
        #expect(ChineseClock.mayHoldWord("2020年6月26日下午9时18分"))
        #expect(ChineseClock.mayHoldWord("2020年6月26日夜\u{F9E9}11点"))
        #expect(ChineseClock.mayHoldWord("\u{2F800}"))
    }

    @Test("the first word of the list found is the one the search reports", arguments: [
        ("2020年6月26日下午9时18分", "2020年6月26日", Int64(21 * 3600 + 18 * 60)),
        ("2020-06-26 下午3:05", "2020-06-26", Int64(15 * 3600 + 5 * 60)),
    ])
    func split(_ c: (String, String, Int64)) throws {
        let found = try #require(ChineseClock.split(c.0))
        #expect(found.date == c.1)
        #expect(found.seconds == c.2)
    }
}
