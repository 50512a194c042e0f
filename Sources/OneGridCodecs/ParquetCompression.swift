import CZlib

/// How Parquet pages are compressed. GZIP is the gzip format (RFC 1952), as the
/// parquet-format Compression.md specifies, through the system zlib.
public enum ParquetCompression: Sendable, Hashable {
    case uncompressed
    /// zlib level 1 (fastest) … 9 (smallest); 6 is zlib's default.
    case gzip(level: Int32)

    /// The `CompressionCodec` enum value of parquet.thrift.
    var codec: Int32 {
        switch self {
        case .uncompressed: return 0
        case .gzip: return 2
        }
    }
}

/// Compresses one page body at a time, reusing one zlib stream (`deflateReset`) so a
/// column of many pages does not pay zlib's set-up cost per page.
final class ParquetPageCompressor {
    let compression: ParquetCompression
    private var stream = z_stream()
    private var output: [UInt8] = []

    init(_ compression: ParquetCompression) {
        self.compression = compression
        if case .gzip(let level) = compression {
            // 15 + 16: 32 KiB window, gzip header and trailer.
            let status = deflateInit2_(&stream, max(1, min(9, level)), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                       ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            precondition(status == Z_OK, "zlib deflateInit2 failed (\(status))")
        }
    }

    deinit {
        if case .gzip = compression { deflateEnd(&stream) }
    }

    /// The page body as stored: the bytes themselves when uncompressed.
    func compress(_ body: [UInt8]) -> [UInt8] {
        guard case .gzip = compression else { return body }
        deflateReset(&stream)
        let bound = Int(deflateBound(&stream, uLong(body.count))) + 32
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        var input = body
        var status: Int32 = Z_OK
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                // The output buffer holds deflateBound bytes, so one Z_FINISH call ends the stream.
                status = deflate(&stream, Z_FINISH)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        stream.next_in = nil
        stream.next_out = nil
        precondition(status == Z_STREAM_END, "zlib deflate did not finish (\(status))")
        return Array(output[0..<produced])
    }
}
