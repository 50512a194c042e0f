/// Dice similarity of character bigrams, with the ends padded (`^华`, `华城`, …, `府$`) so that
/// short names and shared beginnings count: 华城名府 vs 华成名府 → 0.6.
public enum BigramSimilarity {
    /// 0…1; 1 for equal strings, 0 when either is empty and they differ.
    public static func dice(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        let x = bigrams(a), y = bigrams(b)
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        var counts: [String: Int] = [:]
        for g in x { counts[g, default: 0] += 1 }
        var shared = 0
        for g in y where (counts[g] ?? 0) > 0 {
            counts[g]! -= 1
            shared += 1
        }
        return 2 * Double(shared) / Double(x.count + y.count)
    }

    static func bigrams(_ s: String) -> [String] {
        guard !s.isEmpty else { return [] }
        let chars = ["^"] + s.map(String.init) + ["$"]
        return (1..<chars.count).map { chars[$0 - 1] + chars[$0] }
    }
}
