import Foundation
import OneGridPrivacy
import Testing

@Suite("Printable text for logs and reports")
struct PrintableTextTests {
    static let escaped: [(String, String)] = [
        ("evil.csv\n2026-11-29T00:00:00+08:00 run #9 finished", "evil.csv\\n2026-11-29T00:00:00+08:00 run #9 finished"),
        ("a\r\nb", "a\\r\\nb"),
        ("\u{1B}[31mred\u{1B}[0m.csv", "\\u001b[31mred\\u001b[0m.csv"),
        ("tab\there", "tab\\there"),
        ("nul\u{0}bell\u{7}", "nul\\u0000bell\\u0007"),
        ("bs\u{8}ff\u{C}", "bs\\bff\\f"),
        ("del\u{7F}", "del\\u007f"),
        ("csi\u{9B}31m", "csi\\u009b31m"),
        ("nel\u{85}", "nel\\u0085"),
        ("line\u{2028}para\u{2029}", "line\\u2028para\\u2029"),
        ("12345_\u{202E}vsc.exe", "12345_\\u202evsc.exe"),
        ("\u{2066}isolate\u{2069}", "\\u2066isolate\\u2069"),
    ]

    @Test("control characters are written as JSON escapes", arguments: escaped)
    func escapes(text: String, expected: String) {
        #expect(PrintableText.escaped(text) == expected)
    }

    @Test("ordinary names, Chinese included, are unchanged", arguments: [
        "12345_20200604.csv", "信访_2020年6月.xml", "path with spaces/and\\backslash.csv", "中\u{2027}点", "",
    ])
    func unchanged(text: String) {
        #expect(PrintableText.escaped(text) == text)
    }

    @Test("every escape reads back as the character it stands for, as JSON")
    func jsonCompatible() throws {
        let controls = (0..<0x20).map { Unicode.Scalar($0)! } + [Unicode.Scalar(0x7F)!]
            + (0x80...0x9F).map { Unicode.Scalar($0)! } + (0x2028...0x202E).map { Unicode.Scalar($0)! }
            + (0x2066...0x2069).map { Unicode.Scalar($0)! }
        for scalar in controls {
            let text = "a" + String(Character(scalar)) + "b"
            let escaped = PrintableText.escaped(text)
            #expect(!escaped.unicodeScalars.contains(scalar))
            let decoded = try JSONDecoder().decode(String.self, from: Data(("\"" + escaped + "\"").utf8))
            #expect(decoded == text)
        }
    }
}
