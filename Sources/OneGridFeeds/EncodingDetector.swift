/// The encoding a reader settled on, and whether the file started with a UTF-8 byte order
/// mark (which is skipped, never handed on as text).
public struct DetectedEncoding: Sendable, Equatable {
    public var encoding: TextEncodingName
    public var hasByteOrderMark: Bool

    public init(encoding: TextEncodingName, hasByteOrderMark: Bool) {
        self.encoding = encoding
        self.hasByteOrderMark = hasByteOrderMark
    }

    /// Bytes to skip at the start of the file: 3 for a UTF-8 BOM, else 0.
    public var byteOrderMarkLength: Int { hasByteOrderMark ? 3 : 0 }
}

/// Guesses a feed's text encoding from its first bytes (after decompression).
///
/// The exports say nothing about their encoding, but the two candidates are easy to tell
/// apart: Chinese text in GB18030 is almost never valid UTF-8 (its lead bytes 0x81–0xFE are
/// followed by bytes that UTF-8 forbids as continuations), so "strictly valid UTF-8" is a
/// reliable test. GB2312 and GBK are subsets of GB18030 and are read as it.
public enum EncodingDetector {
    /// How many leading bytes the readers sample: 64 KiB.
    public static let sampleSize = 64 * 1024

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Detects the encoding of `sample`, the first up-to-`sampleSize` bytes of a file.
    ///
    /// - A UTF-8 BOM means UTF-8 (the BOM is flagged, so the reader skips it).
    /// - Else strictly valid UTF-8 means UTF-8; a multi-byte sequence cut by the end of the
    ///   sample is fine (the sample ends where it ends, not where a character does).
    /// - Else UTF-8 still when valid multi-byte sequences outnumber the bytes that break
    ///   UTF-8 by `strayByteRatio` to 1 or more: that is a UTF-8 file with a few stray bytes,
    ///   and only the records holding them must fail (`undecodable_bytes` at their offset),
    ///   not the whole file read as GB18030 mojibake. GB18030 text breaks UTF-8 at most of
    ///   its characters (its lead bytes 0x81–0xFE are followed by bytes UTF-8 forbids), so
    ///   it never comes near that ratio.
    /// - Else GB18030.
    /// - Parameter forced: an operator's override; a UTF-8 BOM is still recognised and
    ///   skipped when UTF-8 is forced.
    public static func detect(sample: [UInt8], forced: TextEncodingName? = nil) -> DetectedEncoding {
        let hasBOM = sample.starts(with: utf8BOM)
        if let forced {
            return DetectedEncoding(encoding: forced, hasByteOrderMark: forced == .utf8 && hasBOM)
        }
        if hasBOM { return DetectedEncoding(encoding: .utf8, hasByteOrderMark: true) }
        let counts = sample.withUnsafeBufferPointer { UTF8Validation.sequenceCounts($0) }
        let utf8 = counts.invalid == 0 || (counts.valid > 0 && counts.valid >= counts.invalid * strayByteRatio)
        return DetectedEncoding(encoding: utf8 ? .utf8 : .gb18030, hasByteOrderMark: false)
    }

    /// Valid UTF-8 sequences per stray byte from which a sample is still UTF-8: 20.
    public static let strayByteRatio = 20
}
