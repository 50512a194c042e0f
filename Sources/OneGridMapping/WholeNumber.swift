import Foundation
import OneGridModel

/// The `integer` parse: a whole number in Arabic digits (`12`, `12.0`) or Chinese numerals
/// (`十二`, `两`, `一百零三`), optionally followed by a counting word (`三人`, `12名`, `5户`).
/// An approximate count (`十余人`, `30多人`, `约20人`) is not a whole number: it fails, so
/// it is never stored as if exact.
enum WholeNumber {
    /// Counting words a count may end with, longest first (`人次` before `人`).
    static let counters = ["人次", "人", "名", "位", "个", "户", "次", "件", "起", "家", "辆", "处", "宗", "批"]

    static func parse(_ text: String) -> Int? {
        var body = Substring(text)
        if let counter = counters.first(where: { body.hasSuffix($0) && body.count > $0.count }) {
            body = body.dropLast(counter.count)
        }
        body = Substring(body.trimmingCharacters(in: .whitespaces))
        if let i = Int(body) { return i }
        if let d = Double(body), d == d.rounded(), let i = Int(exactly: d) { return i }
        return ChineseNumber.value(body)
    }
}

extension Finding {
    /// The words a crosswalk fallback's note carries before the code it suggests.
    static let suggestionMarker = "suggested"

    /// Whether this finding notes a crosswalk fallback (the suggested code was used) rather
    /// than a value dropped under `on_error: drop_value`.
    public var isCrosswalkSuggestion: Bool {
        code == RejectReason.unmappedValue.code && message.contains("; \(Self.suggestionMarker) ")
    }
}
