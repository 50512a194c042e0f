#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error of the byte layer, carrying the path, what went wrong and what kind of failure
/// it is (so a reader can tell a file to retry later from one to set aside).
public struct ByteIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure: it decides what a run does with the file.
    public enum Kind: Sendable, Equatable {
        /// The system refused an open or a read, or compressed data is damaged.
        case system
        /// The path is not a regular file (a FIFO, device, directory or a symlink not followed).
        case notRegularFile
        /// The file grew, shrank or was rewritten while it was read: try it again later.
        case changedWhileRead
        /// Decompression went past a configured size or ratio (a suspected gzip bomb).
        case limitExceeded
    }

    public var path: String
    public var message: String
    public var kind: Kind

    public init(path: String, message: String, kind: Kind = .system) {
        self.path = path
        self.message = message
        self.kind = kind
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

/// Sees every byte a `FileByteStream` reads from its file, in order, exactly once: the
/// pipeline hashes the bytes it actually loaded (SHA-256) through one, with no second pass
/// over a file that might change in between.
public protocol ByteTap: AnyObject {
    func consume(_ bytes: UnsafeRawBufferPointer)
}

/// How a file may be opened for reading.
public struct FileOpenPolicy: Sendable, Equatable {
    /// Follow a symbolic link named as the file; its target must still be a regular file.
    /// Off by default: a link in an inbox can point anywhere (`/dev/zero`, a FIFO, `/etc`).
    public var followSymlinks: Bool

    public init(followSymlinks: Bool = false) {
        self.followSymlinks = followSymlinks
    }
}

/// Reads a regular file with plain `read(2)` calls, no Foundation buffering in between.
///
/// Only regular files are opened: the path is opened with `O_NONBLOCK` (a FIFO can then
/// never block the open) and `O_NOFOLLOW` unless the policy follows links, then `fstat`ed,
/// and anything but a regular file is refused (`.notRegularFile`) before one byte is read.
/// Size and modification time are recorded at opening; a read past that size, or a size or
/// time that differs at the end of the file, fails as `.changedWhileRead`, so the bytes
/// handed out are exactly one version of the file.
public final class FileByteStream: ByteStream {
    public let path: String
    private let fd: Int32
    public private(set) var bytesConsumed: Int64 = 0
    /// Size of the file at opening, for progress and ETA.
    public let size: Int64
    private let modified: timespec
    private let tap: ByteTap?

    public init(path: String, policy: FileOpenPolicy = FileOpenPolicy(), tap: ByteTap? = nil) throws(ByteIOError) {
        self.path = path
        self.tap = tap
        var flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK
        if !policy.followSymlinks { flags |= O_NOFOLLOW }
        fd = open(path, flags)
        guard fd >= 0 else {
            if errno == ELOOP && !policy.followSymlinks {
                var link = stat()
                if lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK {
                    throw ByteIOError(path: path, message: "is a symbolic link, not a regular file (links are not followed)",
                                      kind: .notRegularFile)
                }
            }
            throw ByteIOError.system(path, "cannot open")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = ByteIOError.system(path, "cannot stat")
            Glibc.close(fd)
            throw error
        }
        if let what = Self.kindName(mode: info.st_mode) {
            Glibc.close(fd)
            throw ByteIOError(path: path, message: "is \(what), not a regular file", kind: .notRegularFile)
        }
        // Regular files never block; blocking reads again so `read` keeps its plain meaning.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        size = Int64(info.st_size)
        modified = info.st_mtim
    }

    /// What a non-regular file is, in words; nil for a regular file.
    static func kindName(mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a file"
        }
    }

    deinit { Glibc.close(fd) }

    public func read(into buffer: inout [UInt8], maxCount: Int) throws(ByteIOError) -> Int {
        let start = buffer.count
        buffer.reserveCapacity(start + maxCount)
        var got = 0
        var failed = false
        let tap = self.tap
        // Grow without zero-filling twice: append uninitialised capacity through a temporary.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxCount) { temp in
            while true {
                let n = Glibc.read(fd, temp.baseAddress, maxCount)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failed = true; return }
                got = n
                let chunk = UnsafeBufferPointer(rebasing: temp[0..<n])
                tap?.consume(UnsafeRawBufferPointer(chunk))
                buffer.append(contentsOf: chunk)
                return
            }
        }
        if failed { throw ByteIOError.system(path, "read failed") }
        bytesConsumed += Int64(got)
        if bytesConsumed > size {
            throw changed("it grew past the \(size) bytes it had when it was opened")
        }
        if got == 0 { try checkUnchanged() }
        return got
    }

    /// At the end of the file: the same size and modification time as at opening.
    private func checkUnchanged() throws(ByteIOError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ByteIOError.system(path, "cannot stat") }
        if bytesConsumed != size || Int64(info.st_size) != size {
            throw changed("\(size) bytes at opening, \(bytesConsumed) read, \(info.st_size) now")
        }
        if info.st_mtim.tv_sec != modified.tv_sec || info.st_mtim.tv_nsec != modified.tv_nsec {
            throw changed("it was modified after it was opened")
        }
    }

    private func changed(_ detail: String) -> ByteIOError {
        ByteIOError(path: path, message: "the file changed while it was read (\(detail)); try it again once it is complete",
                    kind: .changedWhileRead)
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

    /// Up to `count` bytes from the start of the file without moving the read offset
    /// (`pread`), so sniffing costs no second open of a path that may have changed.
    func peek(count: Int) throws(ByteIOError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { Glibc.pread(fd, $0.baseAddress! + got, count - got, off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ByteIOError.system(path, "read failed") }
            if n == 0 { break }
            got += n
        }
        return Array(out[0..<got])
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
