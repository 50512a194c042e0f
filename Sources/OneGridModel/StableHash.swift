/// 64-bit FNV-1a of a string's UTF-8: the same in every run and on every machine (unlike
/// `Hasher`), for in-memory keys that stand in for long strings (the standard-address index's
/// exact keys, the codes of multi-scalar characters in compound bigrams). A collision among n keys has a chance of about n²/2⁶⁵: below one in a
/// billion for a city's few hundred thousand address keys.
public enum StableHash {
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
