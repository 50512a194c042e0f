#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error of the byte layer, carrying the path and what the system said.
public struct ByteIOError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }

    static func system(_ path: String, _ what: String) -> ByteIOError {
        ByteIOError(path: path, message: "\(what): \(String(cString: strerror(errno)))")
    }
}

/// Anything that hands out bytes in order, in chunks: a plain file or a decompressed one.
public protocol ByteStream {
    /// Appends up to `maxCount` bytes to `buffer`; returns how many, 0 at the end.
    mutating func read(into buffer: inout [UInt8], maxCount: Int) throws(ByteIOError) -> Int
    /// Bytes consumed from the underlying file so far (compressed bytes for gzip), for progress.
    var bytesConsumed: Int64 { get }
}

/// Reads a file with plain `read(2)` calls, no Foundation buffering in between.
public final class FileByteStream: ByteStream {
    public let path: String
    private let fd: Int32
    public private(set) var bytesConsumed: Int64 = 0
    /// Size of the file at opening, for progress and ETA.
    public let size: Int64

    public init(path: String) throws(ByteIOError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ByteIOError.system(path, "cannot open") }
        var info = stat()
        size = fstat(fd, &info) == 0 ? Int64(info.st_size) : 0
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ByteIOError(path: path, message: "is a directory")
        }
    }

    deinit { Glibc.close(fd) }

    public func read(into buffer: inout [UInt8], maxCount: Int) throws(ByteIOError) -> Int {
        let start = buffer.count
        buffer.reserveCapacity(start + maxCount)
        var got = 0
        var failed = false
        // Grow without zero-filling twice: append uninitialised capacity through a temporary.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxCount) { temp in
            while true {
                let n = Glibc.read(fd, temp.baseAddress, maxCount)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failed = true; return }
                got = n
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: temp[0..<n]))
                return
            }
        }
        if failed { throw ByteIOError.system(path, "read failed") }
        bytesConsumed += Int64(got)
        return got
    }

    /// The first `count` bytes of a file (fewer if it is shorter), for sniffing formats.
    public static func prefix(of path: String, count: Int) throws(ByteIOError) -> [UInt8] {
        let stream = try FileByteStream(path: path)
        var out: [UInt8] = []
        while out.count < count {
            let n = try stream.read(into: &out, maxCount: count - out.count)
            if n == 0 { break }
        }
        return out
    }
}

/// A buffered writer over `write(2)`, for exports and generated samples.
public final class FileByteSink {
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    public private(set) var bytesWritten: Int64 = 0

    /// Creates or truncates the file, with the given permission bits.
    public init(path: String, mode: mode_t = 0o644, capacity: Int = 1 << 18) throws(ByteIOError) {
        self.path = path
        self.capacity = capacity
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ByteIOError.system(path, "cannot create") }
        buffer.reserveCapacity(capacity)
    }

    deinit { Glibc.close(fd) }

    public func write(_ bytes: some Sequence<UInt8>) throws(ByteIOError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// As above; a run of at least `capacity` bytes with nothing buffered goes straight to
    /// the file, sparing a copy through the buffer (writers that buffer rows themselves).
    public func write(_ bytes: [UInt8]) throws(ByteIOError) {
        guard buffer.isEmpty && bytes.count >= capacity else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= capacity { try flush() }
            return
        }
        try writeAll(bytes)
    }

    public func write(_ text: String) throws(ByteIOError) {
        try write(text.utf8)
    }

    public func flush() throws(ByteIOError) {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(ByteIOError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ByteIOError.system(path, "write failed") }
            offset += n
        }
        bytesWritten += Int64(bytes.count)
    }

    /// Flushes and makes the bytes durable (`fsync`).
    public func close() throws(ByteIOError) {
        try flush()
        if fsync(fd) != 0 && errno != EINVAL { throw ByteIOError.system(path, "fsync failed") }
    }
}
