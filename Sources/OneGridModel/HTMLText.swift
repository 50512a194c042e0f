/// Text made safe for HTML content and attribute values: one rule for every page OneGrid
/// writes (the monthly report, the dry-run report).
public enum HTMLText {
    /// `&<>"'` as entities; controls other than tab and newline as U+FFFD.
    public static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Controls other than tab and newline would make the page invalid; show them as U+FFFD.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" || ch.value == 0x7F {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }
}
