#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text encodings the feeds use. GB2312 and GBK are subsets of GB18030 and are read as it.
public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030 = "gb18030"

    /// Parses a declared or configured name (`UTF-8`, `utf8`, `GB2312`, `GBK`, `GB18030`, `CP936`).
    public init?(name: String) {
        switch name.lowercased().filter({ $0.isLetter || $0.isNumber }) {
        case "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936", "euccn", "windows936", "936": self = .gb18030
        default: return nil
        }
    }

    /// The iconv name.
    var iconvName: String { self == .utf8 ? "UTF-8" : "GB18030" }
}

/// Bytes that did not convert: where in the input the bad sequence starts.
public struct TranscodeError: Error, Sendable, Equatable {
    /// Offset of the first bad byte within the converted input, from 0.
    public var offset: Int
}

/// An iconv conversion between GB18030 and UTF-8, reused across calls (one per reader or
/// writer: iconv handles are not shareable between threads).
public final class Transcoder {
    private let handle: iconv_t
    /// Output scratch reused across calls: a reader converts one cell at a time, and a fresh
    /// allocation per cell dominated the cost of GB18030 decoding.
    private var chunk: [UInt8] = []
    public let from: TextEncoding
    public let to: TextEncoding

    public init(from: TextEncoding, to: TextEncoding) {
        self.from = from
        self.to = to
        handle = iconv_open(to.iconvName, from.iconvName)
        precondition(handle != iconv_t(bitPattern: -1), "iconv lacks \(from.iconvName) → \(to.iconvName)")
    }

    deinit { iconv_close(handle) }

    /// Converts a whole buffer; an invalid or incomplete sequence is an error with its
    /// offset, never a replacement character.
    public func convert(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(TranscodeError) {
        iconv(handle, nil, nil, nil, nil)
        var inPtr = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        let wanted = max(64, input.count * 2)
        if chunk.count < wanted { chunk = [UInt8](repeating: 0, count: wanted) }
        var failure: Int?
        while inLeft > 0 {
            let written: Int = chunk.withUnsafeMutableBytes { outRaw in
                var outPtr = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outRaw.count
                let result = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
                if result == -1 && errno != E2BIG {
                    failure = input.count - inLeft
                }
                return outRaw.count - outLeft
            }
            chunk.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<written])) }
            if let failure { throw TranscodeError(offset: failure) }
        }
    }

    public func convert(_ input: [UInt8]) throws(TranscodeError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 2)
        var failure: TranscodeError?
        input.withUnsafeBytes { raw in
            do throws(TranscodeError) { try convert(raw, into: &out) } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }
}
