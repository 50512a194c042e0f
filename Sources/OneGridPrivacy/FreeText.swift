import Foundation

/// Masks identifiers that callers type into free text (a phone in 诉求内容): 11-digit
/// mobiles and 15/18-character ID numbers never reach the warehouse in the clear.
public enum FreeText {
    static let pattern = try! NSRegularExpression(pattern: "(?<![0-9])(1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")

    public static func redact(_ text: String) -> String {
        var hasRun = 0
        for b in text.utf8 {
            if b >= 48 && b <= 57 { hasRun += 1; if hasRun >= 11 { break } } else { hasRun = 0 }
        }
        guard hasRun >= 11 else { return text }
        let ns = NSMutableString(string: text)
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).reversed() {
            let value = ns.substring(with: m.range)
            let masked = String(value.prefix(3)) + String(repeating: "*", count: value.count - 7) + String(value.suffix(4))
            ns.replaceCharacters(in: m.range, with: masked)
        }
        return ns as String
    }
}
