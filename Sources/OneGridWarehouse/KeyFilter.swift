/// A Bloom filter over text keys: `mayContain` is false only for a key never inserted, so the
/// writer skips a look-up query whose answer it knows is "no row" (a new source key, person
/// token, place or incident place) and runs it otherwise. A false "maybe" costs the query the
/// writer would have run anyway; a key is never missed, so no decision depends on the filter.
///
/// Eight bits a key and five probes: about 2 % false "maybe" at its capacity (more past it,
/// never wrong); a million keys take 1 MB.
struct KeyFilter: Sendable {
    private var words: [UInt64]
    private let bitCount: UInt64
    private(set) var count = 0

    static let probes = 5
    static let bitsPerKey = 8

    /// A filter sized for `capacity` keys (at least 4,096).
    init(capacity: Int) {
        let bits = max(4096, capacity) * Self.bitsPerKey
        words = [UInt64](repeating: 0, count: (bits + 63) / 64)
        bitCount = UInt64(words.count * 64)
    }

    mutating func insert(_ key: String) {
        var (h, step) = Self.hashes(key)
        for _ in 0..<Self.probes {
            let bit = position(h)
            words[Int(bit >> 6)] |= 1 << (bit & 63)
            h &+= step
        }
        count += 1
    }

    func mayContain(_ key: String) -> Bool {
        var (h, step) = Self.hashes(key)
        for _ in 0..<Self.probes {
            let bit = position(h)
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
            h &+= step
        }
        return true
    }

    /// A hash mapped onto the bits by its high part (multiply-shift), so any size works.
    private func position(_ h: UInt64) -> UInt64 {
        h.multipliedFullWidth(by: bitCount).high
    }

    /// Two SplitMix64-finalised forms of the FNV-1a hash of the UTF-8 bytes (the second odd,
    /// so double hashing's probes differ): deterministic, unlike `Hasher`, so runs repeat.
    private static func hashes(_ key: String) -> (UInt64, UInt64) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var key = key
        key.withUTF8 { bytes in
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        }
        return (mix(h), mix(h ^ 0x5851_f42d_4c95_7f2d) | 1)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
