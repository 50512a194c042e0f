/// The byte-level encodings of Parquet pages: the RLE / bit-packing hybrid (definition
/// levels and dictionary indices) and little-endian PLAIN values.
///
/// Advice for hackers: a bit-packed run holds a multiple of 8 values, so a literal stretch
/// that is followed by a repeated run must end on a multiple of 8; `encodeHybrid` lends
/// values from the start of the repeated run to the literal stretch to get there. Only
/// the final run may be padded, because readers stop at the page's value count.
enum ParquetEncoding {
    /// Fewest bits that hold `maxValue` (at least 1: a width of 0 is legal but not every
    /// reader accepts it).
    static func bitWidth(_ maxValue: UInt32) -> Int {
        max(1, 32 - maxValue.leadingZeroBitCount)
    }

    /// Repeats shorter than this are bit-packed rather than run-length encoded.
    static let minimumRepeat = 8

    /// The RLE / bit-packed hybrid of `values` at `bitWidth` bits each, without a length prefix.
    static func encodeHybrid<Values: RandomAccessCollection<UInt32>>(_ values: Values, bitWidth: Int, into out: inout [UInt8])
    where Values.Index == Int {
        let count = values.count
        let start = values.startIndex
        var literalStart = 0
        var i = 0
        while i < count {
            let v = values[start + i]
            var j = i + 1
            while j < count && values[start + j] == v { j += 1 }
            if j - i >= minimumRepeat {
                // Lend the literal stretch enough values to reach a multiple of 8.
                let lend = (8 - (i - literalStart) % 8) % 8
                if j - (i + lend) >= minimumRepeat {
                    if i + lend > literalStart {
                        appendBitPacked(values, from: start + literalStart, count: i + lend - literalStart, bitWidth: bitWidth, into: &out)
                    }
                    appendRepeat(v, count: j - (i + lend), bitWidth: bitWidth, into: &out)
                    literalStart = j
                }
            }
            i = j
        }
        if count > literalStart {
            appendBitPacked(values, from: start + literalStart, count: count - literalStart, bitWidth: bitWidth, into: &out)
        }
    }

    /// One run-length encoded run.
    static func appendRepeat(_ value: UInt32, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        ThriftCompactEncoder.appendVarint(UInt64(count) << 1, to: &out)
        var v = value
        for _ in 0..<((bitWidth + 7) / 8) {
            out.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    /// One bit-packed run; the last group of 8 is padded with zeros.
    static func appendBitPacked<Values: RandomAccessCollection<UInt32>>(_ values: Values, from: Int, count: Int, bitWidth: Int, into out: inout [UInt8])
    where Values.Index == Int {
        let groups = (count + 7) / 8
        ThriftCompactEncoder.appendVarint(UInt64(groups) << 1 | 1, to: &out)
        var buffer: UInt64 = 0
        var bits = 0
        for k in 0..<(groups * 8) {
            let v = k < count ? UInt64(values[from + k]) : 0
            buffer |= v << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                bits -= 8
            }
        }
        // groups * 8 * bitWidth is a multiple of 8: nothing is left in `buffer`.
    }

    /// Definition levels of an OPTIONAL column (1 present, 0 null) as a data page v1 holds
    /// them: a 4-byte little-endian length, then the hybrid at bit width 1.
    static func appendDefinitionLevels(_ levels: [UInt32], into out: inout [UInt8]) {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(levels.count / 8 + 16)
        encodeHybrid(levels, bitWidth: 1, into: &encoded)
        appendLittleEndian(UInt32(encoded.count), into: &out)
        out.append(contentsOf: encoded)
    }

    /// PLAIN booleans: one bit each, least significant bit first, no header.
    static func appendPlainBooleans(_ values: [Bool], into out: inout [UInt8]) {
        var byte: UInt8 = 0
        for (k, v) in values.enumerated() {
            if v { byte |= 1 << UInt8(k % 8) }
            if k % 8 == 7 {
                out.append(byte)
                byte = 0
            }
        }
        if values.count % 8 != 0 { out.append(byte) }
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, into out: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { out.append(contentsOf: $0) }
    }
}
