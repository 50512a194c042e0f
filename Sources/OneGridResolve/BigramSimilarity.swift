import OneGridModel

/// Dice similarity of character bigrams, with the ends padded (`^华`, `华城`, …, `府$`) so that
/// short names and shared beginnings count: 华城名府 vs 华成名府 → 0.6.
public enum BigramSimilarity {
    /// 0…1; 1 for equal strings, 0 when either is empty and they differ.
    public static func dice(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        return dice(Bigrams(a), Bigrams(b))
    }

    /// Dice of two prepared bigram multisets (0 when either is empty).
    public static func dice(_ x: Bigrams, _ y: Bigrams) -> Double {
        guard !x.codes.isEmpty, !y.codes.isEmpty else { return 0 }
        // Both sorted: the multiset intersection is one merge.
        var i = 0, j = 0, shared = 0
        let a = x.codes, b = y.codes
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                shared += 1; i += 1; j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return 2 * Double(shared) / Double(a.count + b.count)
    }

    /// The padded bigrams of a string, prepared once so that scoring one name against many
    /// compares integers instead of building strings.
    public struct Bigrams: Sendable, Hashable {
        /// Each bigram as two 32-bit character codes, sorted.
        let codes: [UInt64]

        public init(_ s: String) {
            guard !s.isEmpty else {
                codes = []
                return
            }
            var previous = Self.code(of: "^")
            var codes: [UInt64] = []
            codes.reserveCapacity(s.unicodeScalars.count + 1)
            for character in s {
                let c = Self.code(of: character)
                codes.append(UInt64(previous) << 32 | UInt64(c))
                previous = c
            }
            codes.append(UInt64(previous) << 32 | UInt64(Self.code(of: "$")))
            self.codes = codes.sorted()
        }

        /// A character's scalar value, or for a multi-scalar character (a base with combining
        /// marks) a stable hash of its UTF-8 above the scalar range.
        static func code(of character: Character) -> UInt32 {
            let scalars = character.unicodeScalars
            if scalars.count == 1 { return scalars.first!.value }
            return 0x8000_0000 | UInt32(truncatingIfNeeded: StableHash.fnv1a64(String(character)))
        }
    }
}
