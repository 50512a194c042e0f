import OneGridCodecs

/// A byte stream that first replays bytes already read (a sniffed sample) and then goes on
/// with the stream they came from, so sniffing never costs a second pass over the file.
public final class PrefixedByteStream: ByteStream {
    private var prefix: [UInt8]
    private var prefixOffset = 0
    private var rest: any ByteStream

    public init(prefix: [UInt8], rest: any ByteStream) {
        self.prefix = prefix
        self.rest = rest
    }

    public var bytesConsumed: Int64 { rest.bytesConsumed }

    public func read(into buffer: inout [UInt8], maxCount: Int) throws(ByteIOError) -> Int {
        if prefixOffset < prefix.count {
            let n = min(maxCount, prefix.count - prefixOffset)
            buffer.append(contentsOf: prefix[prefixOffset..<(prefixOffset + n)])
            prefixOffset += n
            if prefixOffset == prefix.count { prefix = []; prefixOffset = 0 }
            return n
        }
        return try rest.read(into: &buffer, maxCount: maxCount)
    }
}

/// Bytes held in memory, handed out in chunks of the given sizes (cycled). Tests use it to
/// run every reader through 1-byte, random and whole-buffer reading paths.
public final class MemoryByteStream: ByteStream {
    private let bytes: [UInt8]
    private let chunkSizes: [Int]
    private var offset = 0
    private var chunkIndex = 0

    /// - Parameter chunkSizes: sizes of successive reads (each at least 1), cycled; the
    ///   default hands everything out in one read.
    public init(_ bytes: [UInt8], chunkSizes: [Int] = [Int.max]) {
        self.bytes = bytes
        self.chunkSizes = chunkSizes.isEmpty ? [Int.max] : chunkSizes.map { max(1, $0) }
    }

    public var bytesConsumed: Int64 { Int64(offset) }

    public func read(into buffer: inout [UInt8], maxCount: Int) throws(ByteIOError) -> Int {
        let want = min(maxCount, chunkSizes[chunkIndex % chunkSizes.count], bytes.count - offset)
        chunkIndex += 1
        guard want > 0 else { return 0 }
        buffer.append(contentsOf: bytes[offset..<(offset + want)])
        offset += want
        return want
    }
}

/// Reads up to `count` bytes from the start of a stream (fewer only at its end).
func readSample(from stream: inout any ByteStream, count: Int) throws(ByteIOError) -> [UInt8] {
    var sample: [UInt8] = []
    sample.reserveCapacity(count)
    while sample.count < count {
        if try stream.read(into: &sample, maxCount: count - sample.count) == 0 { break }
    }
    return sample
}
