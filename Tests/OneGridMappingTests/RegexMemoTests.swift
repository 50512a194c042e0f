import Foundation
import Testing
@testable import OneGridMapping

@Suite("A mapping regex remembers its answers only where values repeat")
struct RegexMemoTests {
    /// What NSRegularExpression itself answers, without the box and its memo.
    static func direct(_ pattern: String, _ text: String) -> String? {
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        guard let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let range = m.numberOfRanges > 1 ? m.range(at: 1) : m.range
        return range.location == NSNotFound ? nil : ns.substring(with: range)
    }

    @Test("a repeated status gives the same group every time, matched or not")
    func repeatedValues() throws {
        let pattern = #"^(?:\[作废\])?\s*(.*)$"#
        let box = try NSRegularExpressionBox(pattern)
        let statuses = ["[作废] 已办结", "已派单", "办理中", "", "[作废]已撤销", "已派单\n"]
        for round in 0..<3 {
            for s in statuses {
                #expect(box.firstGroup(in: s) == Self.direct(pattern, s), "round \(round): \(s)")
            }
        }
        #expect(box.memos.groups.isRemembering)
    }

    @Test("a key column, every value new, stops being remembered after the trial and still answers")
    func distinctValuesTurnTheMemoOff() throws {
        let pattern = #"^'?(.+)$"#
        let box = try NSRegularExpressionBox(pattern)
        for n in 0..<(TextMemo<String?>.trial + 10) {
            let key = "'NJ12345-20200623-\(n)"
            #expect(box.firstGroup(in: key) == "NJ12345-20200623-\(n)")
        }
        #expect(!box.memos.groups.isRemembering)
        #expect(box.firstGroup(in: "'NJ12345-20200623-0") == "NJ12345-20200623-0")
    }

    @Test("matches answers as the pattern does for values seen before and after")
    func matchesRepeat() throws {
        let box = try NSRegularExpressionBox("作废|撤销")
        for _ in 0..<2 {
            #expect(box.matches("已撤销"))
            #expect(box.matches("作废"))
            #expect(!box.matches("已办结"))
            #expect(!box.matches(""))
        }
    }

    @Test("a text over the memo's length bound is answered but never remembered")
    func longTextsAreNotKept() throws {
        let box = try NSRegularExpressionBox("作废")
        let long = String(repeating: "诉", count: TextMemo<Bool>.longestText) + "作废"
        #expect(box.matches(long))
        #expect(box.memos.matches.count == 0)
        #expect(box.matches("作废"))
        #expect(box.memos.matches.count == 1)
    }
}
