/// Text made safe to print on one line of a log, a terminal or a report: control characters
/// are written as JSON escapes, so a file name or a value holding a newline or an ANSI escape
/// can neither fake a log line nor drive the terminal.
///
/// Escaped: C0 controls (`\n`, `\r`, `\t`, `\b`, `\f`, the rest as `\u001b` …), DEL, C1
/// controls (U+0080–U+009F, among them the one-character CSI U+009B), the line and paragraph
/// separators U+2028 and U+2029, and the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) that make a name display differently from what it is. Everything else,
/// Chinese text included, is kept. A backslash is kept as is: escaping it would break the
/// JSON log lines this is also applied to, so `a\nb` typed literally and a real newline read
/// alike — the line can still not be split or recoloured, which is the point.
public enum PrintableText {
    /// `text` with its control characters escaped; the same string when it has none.
    public static func escaped(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let escape = escape(scalar) {
                out.append(contentsOf: escape.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Decided on UTF-8 bytes: C0 and DEL are single bytes; C1 controls are `C2 80`–`C2 9F`;
    /// the separators and bidi controls are `E2 80 A8`–`E2 80 AE` and `E2 81 A6`–`E2 81 A9`.
    static func needsEscaping(_ text: String) -> Bool {
        var p1: UInt8 = 0, p2: UInt8 = 0
        for b in text.utf8 {
            if b < 0x20 || b == 0x7F { return true }
            if p1 == 0xC2 && b >= 0x80 && b <= 0x9F { return true }
            if p2 == 0xE2 && p1 == 0x80 && b >= 0xA8 && b <= 0xAE { return true }
            if p2 == 0xE2 && p1 == 0x81 && b >= 0xA6 && b <= 0xA9 { return true }
            p2 = p1
            p1 = b
        }
        return false
    }

    static func escape(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        case 0x00..<0x20, 0x7F, 0x80...0x9F, 0x2028...0x202E, 0x2066...0x2069:
            let hex = String(s.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default:
            return nil
        }
    }
}
