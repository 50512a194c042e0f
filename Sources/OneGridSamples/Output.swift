import OneGridCodecs
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error of the sample generator: what failed, on which path.
public struct SampleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

enum FileSystem {
    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw SampleError(path: current, message: "cannot create directory: \(String(cString: strerror(errno)))")
            }
        }
    }

    static func write(_ text: String, to path: String) throws {
        let sink = try FileByteSink(path: path)
        try sink.write(text)
        try sink.close()
    }
}

/// The byte encodings a generated text file can use.
public enum SampleEncoding: String, Sendable, Hashable, CaseIterable {
    /// GB18030 (of which GBK and GB2312 are subsets), no BOM.
    case gb18030
    /// UTF-8 with the EF BB BF byte order mark.
    case utf8BOM
    /// UTF-8, no BOM.
    case utf8
}

/// A text file being written row by row: plain or gzip, UTF-8 or GB18030 (transcoded per
/// write through iconv), with an optional byte limit after which writes are dropped (for
/// truncated files).
final class OutputFile {
    let path: String
    private let plain: FileByteSink?
    private let gzip: GzipFileSink?
    private let transcoder: Transcoder?
    private var limit: Int?
    private(set) var written = 0

    init(path: String, encoding: SampleEncoding, gzip: Bool) throws {
        self.path = path
        if gzip { self.gzip = try GzipFileSink(path: path); plain = nil } else { plain = try FileByteSink(path: path); self.gzip = nil }
        transcoder = encoding == .gb18030 ? Transcoder(from: .utf8, to: .gb18030) : nil
        if encoding == .utf8BOM { try raw([0xEF, 0xBB, 0xBF]) }
    }

    /// Stops writing after `bytes` more bytes (a failed transfer).
    func truncate(after bytes: Int) { limit = written + bytes }

    var isCut: Bool { limit.map { written >= $0 } ?? false }

    func write(_ text: String) throws {
        let utf8 = Array(text.utf8)
        if let transcoder {
            do { try raw(try transcoder.convert(utf8)) } catch let error as TranscodeError {
                throw SampleError(path: path, message: "text not encodable in GB18030 at byte \(error.offset)")
            }
        } else {
            try raw(utf8)
        }
    }

    func raw(_ bytes: [UInt8]) throws {
        var bytes = bytes
        if let limit {
            guard written < limit else { return }
            if written + bytes.count > limit { bytes = Array(bytes[0..<(limit - written)]) }
        }
        written += bytes.count
        if let gzip { try gzip.write(bytes) } else { try plain!.write(bytes) }
    }

    func close() throws {
        if let gzip { try gzip.close() } else { try plain!.close() }
    }
}
