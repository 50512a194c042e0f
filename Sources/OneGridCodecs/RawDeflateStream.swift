import CZlib

/// Raw DEFLATE (RFC 1951, no zlib or gzip header) fed chunk by chunk, for ZIP entries
/// (XLSX sheets) too large to hold in memory. Compressed bytes are handed to `emit` as
/// zlib produces them; memory stays at zlib's window plus one output buffer.
///
/// Advice for hackers: zlib keeps pointers into `next_in` only for the duration of one
/// `deflate` call, so every call sets `next_in`/`avail_in` inside the buffer's closure and
/// the loop runs until zlib has consumed all input (`avail_in == 0`) and has no more
/// output pending (`avail_out != 0`).
public final class RawDeflateStream {
    private var stream = z_stream()
    private var out = [UInt8](repeating: 0, count: 1 << 16)
    private var finished = false
    /// Uncompressed bytes fed so far.
    public private(set) var bytesIn: Int64 = 0
    /// Compressed bytes emitted so far.
    public private(set) var bytesOut: Int64 = 0

    /// A stream at the given zlib level (1 fastest … 9 smallest; 6 is zlib's default).
    public init(level: Int32 = 6) {
        let status = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib deflateInit2 failed (\(status))")
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `bytes`, handing any output produced to `emit`.
    public func write<E: Error>(_ bytes: [UInt8], emit: ([UInt8]) throws(E) -> Void) throws(E) {
        precondition(!finished, "write after finish")
        bytesIn += Int64(bytes.count)
        try pump(bytes, flush: Z_NO_FLUSH, emit: emit)
    }

    /// Ends the stream, handing the remaining output to `emit`.
    public func finish<E: Error>(emit: ([UInt8]) throws(E) -> Void) throws(E) {
        guard !finished else { return }
        finished = true
        try pump([], flush: Z_FINISH, emit: emit)
    }

    private func pump<E: Error>(_ bytes: [UInt8], flush: Int32, emit: ([UInt8]) throws(E) -> Void) throws(E) {
        var input = bytes
        var offset = 0
        while true {
            var status: Int32 = Z_OK
            var consumed = 0
            let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
                out.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_in = inBuf.count > 0 ? inBuf.baseAddress! + offset : nil
                    stream.avail_in = uInt(inBuf.count - offset)
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    status = deflate(&stream, flush)
                    consumed = inBuf.count - offset - Int(stream.avail_in)
                    return outBuf.count - Int(stream.avail_out)
                }
            }
            stream.next_in = nil
            stream.avail_in = 0
            offset += consumed
            precondition(status != Z_STREAM_ERROR, "zlib deflate stream error")
            if produced > 0 {
                bytesOut += Int64(produced)
                try emit(Array(out[0..<produced]))
            }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if offset >= input.count && produced < out.count {
                return
            }
        }
    }
}
