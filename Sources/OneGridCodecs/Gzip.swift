import CZlib

/// The two magic bytes every gzip member starts with (RFC 1952). Files are recognised by
/// these, never by their name.
public let gzipMagic: [UInt8] = [0x1F, 0x8B]

/// How far decompression may go before a file is judged a suspected gzip bomb.
///
/// DEFLATE cannot do better than about 1032:1, which is what a bomb (a gigabyte of one
/// repeated byte) reaches; the departmental exports compress 3:1 to 20:1 (text with Chinese,
/// base64 attachments barely at all). So a ratio over `maxRatio` once `ratioGrace` bytes have
/// come out fails the file within a second or two, even when the bomb is a billion one-byte
/// records (blank lines) the reader must step through, and `maxOutputBytes` caps what any
/// file may expand to whatever its ratio. Both far above what a real export reaches.
public struct InflateLimits: Sendable, Equatable {
    /// Most decompressed bytes a file may produce: 32 GiB by default.
    public var maxOutputBytes: Int64
    /// Most decompressed bytes per compressed byte read so far: 200 by default.
    public var maxRatio: Int64
    /// Decompressed bytes before the ratio is judged (a small file's header compresses far
    /// better than its body): 8 MiB by default.
    public var ratioGrace: Int64

    public init(maxOutputBytes: Int64 = 32 << 30, maxRatio: Int64 = 200, ratioGrace: Int64 = 8 << 20) {
        self.maxOutputBytes = maxOutputBytes
        self.maxRatio = maxRatio
        self.ratioGrace = ratioGrace
    }
}

/// Decompresses a gzip stream as it is read, member after member (concatenated gzip files
/// are one stream, as `gzip -dc` treats them), within `InflateLimits`.
public final class GzipInflateStream: ByteStream {
    private var source: any ByteStream
    private let path: String
    private let limits: InflateLimits
    private var stream = z_stream()
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var finished = false
    /// Decompressed bytes handed out so far.
    public private(set) var bytesProduced: Int64 = 0
    /// Compressed bytes inflate has consumed so far (not those merely read ahead), so the
    /// ratio is exact from the first MiB on.
    private var bytesInflated: Int64 = 0

    public var bytesConsumed: Int64 { source.bytesConsumed }

    public init(source: any ByteStream, path: String, limits: InflateLimits = InflateLimits()) throws(ByteIOError) {
        self.source = source
        self.path = path
        self.limits = limits
        // 15 + 16: zlib window of 32 KiB, gzip header expected.
        let status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ByteIOError(path: path, message: "zlib init failed (\(status))") }
    }

    deinit { inflateEnd(&stream) }

    public func read(into buffer: inout [UInt8], maxCount: Int) throws(ByteIOError) -> Int {
        while !finished {
            if inputOffset >= input.count {
                input.removeAll(keepingCapacity: true)
                inputOffset = 0
                if try source.read(into: &input, maxCount: 1 << 16) == 0 {
                    if atMemberBoundary { finished = true; return 0 }
                    throw ByteIOError(path: path, message: "gzip stream is truncated")
                }
            }
            if atMemberBoundary {
                // Another member may follow; some tools pad the end with zero bytes.
                while inputOffset < input.count && input[inputOffset] == 0 { inputOffset += 1 }
                if inputOffset >= input.count { continue }
                inflateReset(&stream)
                atMemberBoundary = false
            }
            var status: Int32 = Z_OK
            var produced = 0
            var consumed = 0
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxCount) { out in
                input.withUnsafeMutableBufferPointer { inBuf in
                    stream.next_in = inBuf.baseAddress! + inputOffset
                    stream.avail_in = uInt(inBuf.count - inputOffset)
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(maxCount)
                    status = inflate(&stream, Z_NO_FLUSH)
                    consumed = inBuf.count - inputOffset - Int(stream.avail_in)
                    produced = maxCount - Int(stream.avail_out)
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: out[0..<produced]))
            }
            stream.next_in = nil
            stream.avail_in = 0
            inputOffset += consumed
            bytesInflated += Int64(consumed)
            switch status {
            case Z_OK, Z_BUF_ERROR: break
            case Z_STREAM_END: atMemberBoundary = true
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw ByteIOError(path: path, message: "gzip data is corrupt: \(detail)")
            }
            if produced > 0 {
                bytesProduced += Int64(produced)
                try checkLimits()
                return produced
            }
        }
        return 0
    }

    private func checkLimits() throws(ByteIOError) {
        if bytesProduced > limits.maxOutputBytes {
            throw ByteIOError(path: path, message: "suspected gzip bomb: it expands past \(limits.maxOutputBytes) bytes, the limit",
                              kind: .limitExceeded)
        }
        let compressed = max(1, bytesInflated)
        if bytesProduced > limits.ratioGrace && bytesProduced / compressed > limits.maxRatio {
            throw ByteIOError(path: path, message: "suspected gzip bomb: \(compressed) compressed bytes expanded to \(bytesProduced) "
                              + "(over \(limits.maxRatio):1, the limit)", kind: .limitExceeded)
        }
    }

    private var atMemberBoundary = false
}

/// Writes a gzip file as bytes arrive, for generated samples and compressed exports.
public final class GzipFileSink {
    private let sink: FileByteSink
    private var stream = z_stream()
    private var out = [UInt8](repeating: 0, count: 1 << 16)

    public init(path: String, level: Int32 = 6) throws(ByteIOError) {
        sink = try FileByteSink(path: path)
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ByteIOError(path: path, message: "zlib init failed (\(status))") }
    }

    deinit { deflateEnd(&stream) }

    public func write(_ bytes: [UInt8]) throws(ByteIOError) {
        try pump(bytes, flush: Z_NO_FLUSH)
    }

    public func write(_ text: String) throws(ByteIOError) {
        try write(Array(text.utf8))
    }

    /// Ends the gzip member and closes the file.
    public func close() throws(ByteIOError) {
        try pump([], flush: Z_FINISH)
        try sink.close()
    }

    private func pump(_ bytes: [UInt8], flush: Int32) throws(ByteIOError) {
        var input = bytes
        var failure: ByteIOError?
        input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            repeat {
                var status: Int32 = Z_OK
                let produced: Int = out.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    status = deflate(&stream, flush)
                    return outBuf.count - Int(stream.avail_out)
                }
                if status == Z_STREAM_ERROR { failure = ByteIOError(path: sink.path, message: "deflate failed"); return }
                do throws(ByteIOError) { try sink.write(out[0..<produced]) } catch { failure = error; return }
                if flush == Z_FINISH && status == Z_STREAM_END { break }
            } while stream.avail_out == 0 || (flush == Z_FINISH)
        }
        stream.next_in = nil
        if let failure { throw failure }
    }
}

/// Raw DEFLATE (no header) and CRC-32, the two pieces a ZIP container (XLSX) needs.
public struct RawDeflate {
    /// Compresses a whole buffer (a ZIP entry's data) in one call.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 16)
        var input = bytes
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                deflate(&stream, Z_FINISH)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        out.removeSubrange(produced...)
        return out
    }
}

/// A running CRC-32 (the ZIP and gzip checksum).
public struct CRC32 {
    public private(set) var value: UInt32 = 0

    public init() {}

    public mutating func update(_ bytes: [UInt8]) {
        value = bytes.withUnsafeBufferPointer { buf in
            UInt32(crc32(uLong(value), buf.baseAddress, uInt(buf.count)))
        }
    }
}

/// Opens a file as a byte stream, decompressing it when its first bytes are gzip's magic.
public enum ByteSource {
    /// Whether the file starts with the gzip magic bytes.
    public static func isGzip(path: String) throws(ByteIOError) -> Bool {
        try FileByteStream.prefix(of: path, count: 2) == gzipMagic
    }

    /// The file's bytes, decompressed if it is gzip; the `Bool` tells which. The file is
    /// opened once (sniffed with `pread` on the same descriptor), so what is sniffed is what
    /// is read. `tap` sees the file's bytes as stored (compressed ones for gzip).
    public static func open(path: String, policy: FileOpenPolicy = FileOpenPolicy(), limits: InflateLimits = InflateLimits(),
                            tap: ByteTap? = nil) throws(ByteIOError) -> (stream: any ByteStream, gzip: Bool, size: Int64) {
        let file = try FileByteStream(path: path, policy: policy, tap: tap)
        if try file.peek(count: 2) == gzipMagic {
            return (try GzipInflateStream(source: file, path: path, limits: limits), true, file.size)
        }
        return (file, false, file.size)
    }
}
