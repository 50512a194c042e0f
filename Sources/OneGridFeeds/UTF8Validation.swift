/// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF) that says where the first bad sequence starts, so a reader can report the
/// exact byte offset instead of decoding to U+FFFD.
enum UTF8Validation {
    /// Index of the first byte of the first invalid sequence, or nil when all is valid.
    /// With `allowTruncatedEnd`, a sequence cut by the end of the buffer (a sample's edge)
    /// counts as valid.
    static func firstInvalidIndex(_ p: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool = false) -> Int? {
        let n = p.count
        guard n > 0, let base = p.baseAddress else { return nil }
        var i = 0
        while i < n {
            // ASCII fast path, eight bytes at a time: most cells are ASCII or start with it.
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            if i >= n { break }
            let lead = base[i]
            if lead < 0x80 { i += 1; continue }
            var need = 0
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; high = 0x9F          // no UTF-16 surrogates
            case 0xF0: need = 3; low = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; high = 0x8F          // nothing above U+10FFFF
            default: return i                         // 0x80–0xC1, 0xF5–0xFF never lead
            }
            for k in 1...need {
                if i + k >= n { return allowTruncatedEnd ? nil : i }
                let byte = base[i + k]
                let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
                if byte < lo || byte > hi { return i }
            }
            i += need + 1
        }
        return nil
    }

    /// How many multi-byte sequences are valid UTF-8 and how many bytes start an invalid
    /// one (each skipped alone, as a decoder resynchronises), for telling a UTF-8 file with
    /// a few stray bytes from a GB18030 one. A sequence cut by the end counts as neither.
    static func sequenceCounts(_ p: UnsafeBufferPointer<UInt8>) -> (valid: Int, invalid: Int) {
        var valid = 0
        var invalid = 0
        var rest = p
        while let bad = firstInvalidIndex(rest, allowTruncatedEnd: true) {
            valid += multiByteLeads(UnsafeBufferPointer(rebasing: rest[..<bad]))
            invalid += 1
            rest = UnsafeBufferPointer(rebasing: rest[(bad + 1)...])
        }
        valid += multiByteLeads(rest)
        return (valid, invalid)
    }

    /// Lead bytes of multi-byte sequences in valid (possibly end-cut) UTF-8.
    private static func multiByteLeads(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in p where byte >= 0xC2 { count += 1 }
        return count
    }

    /// Whether every byte is ASCII.
    static func isASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = p.count
        guard n > 0, let base = p.baseAddress else { return true }
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }
}
