import OneGridModel
import Testing

@Suite("Text clean-up, fast and slow paths")
struct TextNormalizationTests {
    @Test("clean text comes back as is; everything else is folded, trimmed and collapsed", arguments: [
        ("2020-06-23 14:05", "2020-06-23 14:05"),
        ("雄州街道桥西社区、华城名府", "雄州街道桥西社区、华城名府"),
        (" 六合 ", "六合"),
        ("六合  区", "六合 区"),
        ("六合\t区\r\n", "六合 区"),
        ("１３８　０００", "138 000"),
        ("\u{3000}桥西\u{3000}", "桥西"),
        ("a\u{00A0}b", "a b"),
        ("“引号”", "“引号”"),
        ("（GCJ-02）", "(GCJ-02)"),
        ("\u{FEFF}工单编号", "工单编号"),
    ])
    func clean(_ input: String, _ expected: String) {
        #expect(TextNormalization.clean(input) == expected)
    }

    @Test("empty and white-space-only text is nil")
    func empty() {
        #expect(TextNormalization.clean("") == nil)
        #expect(TextNormalization.clean(" \u{3000} ") == nil)
        #expect(TextNormalization.clean(nil) == nil)
    }
}
