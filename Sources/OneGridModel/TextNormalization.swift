/// Pure text clean-ups shared by every feed: full-width forms, odd spaces, Excel's marks.
public enum TextNormalization {
    /// Full-width ASCII variants (U+FF01–U+FF5E) become their ASCII forms, the ideographic
    /// space and no-break spaces become a plain space. Other characters are kept.
    public static func halfWidth(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            if isFoldable(scalar) { needsWork = true; break }
        }
        guard needsWork else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(fold(scalar))
        }
        return String(out)
    }

    /// Half-width folding, then leading/trailing white space trimmed and inner runs of
    /// white space collapsed to one space. Empty results become nil.
    public static func clean(_ text: String?) -> String? {
        guard let text else { return nil }
        if !needsCleaning(text) { return text }
        // By scalar, not by Character: grapheme breaking is the dearest part of a String
        // walk, and folding and white space are properties of scalars.
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let s = fold(scalar)
            if isWhitespace(s) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(s)
            }
        }
        return out.isEmpty ? nil : String(out)
    }

    @inline(__always)
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09...0x0D: return true
        case 0..<0x80: return false
        default: return s.properties.isWhitespace
        }
    }

    /// Removes every white space character, for codes and keys where spaces carry nothing.
    public static func compact(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let s = fold(scalar)
            if !isWhitespace(s) { out.append(s) }
        }
        return String(out)
    }

    /// Whether `clean` could change the text, decided on its bytes (most cells are already
    /// clean, and the Character-level loop is the mapping's hottest path). Conservative:
    /// control bytes, a leading, trailing or doubled space, and any lead byte that can begin
    /// a foldable or white-space character (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000,
    /// U+FEFF, U+FF01–U+FF5E) send the text the slow way. Empty text needs cleaning (to nil).
    @inline(__always)
    static func needsCleaning(_ text: String) -> Bool {
        var p1: UInt8 = 0x20, p2: UInt8 = 0
        for b in text.utf8 {
            switch b {
            case 0x00...0x1F, 0x7F, 0xC2, 0xE1, 0xE2, 0xEF: return true
            case 0x20: if p1 == 0x20 { return true }
            case 0x80: if p1 == 0x80 && p2 == 0xE3 { return true }
            default: break
            }
            p2 = p1
            p1 = b
        }
        return p1 == 0x20
    }

    @inline(__always)
    static func isFoldable(_ s: Unicode.Scalar) -> Bool {
        (0xFF01...0xFF5E).contains(s.value) || s.value == 0x3000 || s.value == 0x00A0
            || s.value == 0x2002 || s.value == 0x2003 || s.value == 0x2009 || s.value == 0xFEFF
    }

    @inline(__always)
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0xFF01...0xFF5E: return Unicode.Scalar(s.value - 0xFEE0)!
        case 0x3000, 0x00A0, 0x2002, 0x2003, 0x2009: return " "
        case 0xFEFF: return " "
        default: return s
        }
    }
}
