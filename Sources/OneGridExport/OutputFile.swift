#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OneGridPrivacy

/// Who may read an output file.
public enum OutputPermissions: Sendable, Hashable {
    /// Mode 0600, exactly: for anything holding clear personal data (`--pii clear`,
    /// `rejects --out`, whose raw records are what the departments sent).
    case ownerOnly
    /// Mode 0644, less what the process umask removes: masked and token exports.
    case readableByAll

    /// The permissions an export at this PII level gets: clear values are the owner's only.
    public init(pii: PIILevel) {
        self = pii == .clear ? .ownerOnly : .readableByAll
    }

    var mode: mode_t { self == .ownerOnly ? 0o600 : 0o644 }
}

/// An output file that cannot be tricked into writing anywhere else, and that appears whole
/// or not at all.
///
/// The bytes go to a new temporary file in the target's folder, created with
/// `O_CREAT | O_EXCL | O_NOFOLLOW` under a random name (`.<name>.<16 hex>.partial`), so
/// nothing planted there in advance — a symbolic link, a hard link, a FIFO — is ever opened.
/// `close()` flushes, `fsync`s, and renames it over the target path; a symbolic link at the
/// target is replaced itself, its target is never touched; then the folder is `fsync`ed so
/// the rename survives a crash. A file dropped before `close()` (an error, a thrown export)
/// removes its temporary file. The folder itself is taken as given: a link in the folder
/// part of the path is followed like any path the user types.
public final class OutputFile {
    /// Where the file lands on `close()`.
    public let path: String
    /// Where the bytes are written until then.
    public let temporaryPath: String
    /// Bytes written so far.
    public private(set) var bytes: Int64 = 0
    /// SHA-256 of the bytes (64 lowercase hex characters), once `close()` has succeeded:
    /// what the manifest records of the file.
    public private(set) var sha256: String?
    private var digest = ContentDigest()
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false
    private static let capacity = 1 << 18

    /// Creates the temporary file beside `path`; nothing appears at `path` before `close()`.
    public init(path: String, permissions: OutputPermissions = .ownerOnly) throws(ExportError) {
        self.path = path
        let (folder, name) = Self.split(path)
        guard !name.isEmpty, name != ".", name != ".." else { throw .io(path: path, message: "not a file name") }
        // The name's start, whole characters within 100 bytes, keeps the temporary name
        // under NAME_MAX (255 bytes) whatever the target's name.
        var stem = ""
        for character in name {
            if stem.utf8.count + character.utf8.count > 100 { break }
            stem.append(character)
        }
        var attempt = 0
        while true {
            let candidate = folder + "." + stem + "." + Self.randomHex() + ".partial"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, permissions.mode)
            if fd >= 0 {
                descriptor = fd
                temporaryPath = candidate
                break
            }
            let reason = errno
            attempt += 1
            guard reason == EEXIST, attempt < 8 else {
                throw .io(path: path, message: "cannot create a temporary file in its folder: " + Self.text(reason))
            }
        }
        // The umask may have taken bits away from 0600 (never added any): make it exact.
        if permissions == .ownerOnly, fchmod(descriptor, 0o600) != 0 {
            let reason = errno
            discard()
            throw .io(path: path, message: "cannot set mode 0600: " + Self.text(reason))
        }
        buffer.reserveCapacity(Self.capacity)
    }

    deinit { discard() }

    /// Appends bytes; a run at least as large as the buffer with nothing buffered goes
    /// straight to the file (writers that buffer rows themselves pass such runs).
    public func write(_ data: [UInt8]) throws(ExportError) {
        precondition(!finished, "write after close")
        bytes += Int64(data.count)
        digest.update(data)
        if buffer.isEmpty && data.count >= Self.capacity {
            try writeAll(data)
            return
        }
        buffer.append(contentsOf: data)
        if buffer.count >= Self.capacity { try flush() }
    }

    /// Flushes, makes the bytes durable, and puts the file at `path` in one rename.
    public func close() throws(ExportError) {
        precondition(!finished, "closed twice")
        do throws(ExportError) {
            try flush()
            guard fsync(descriptor) == 0 || errno == EINVAL else { throw .io(path: path, message: "fsync failed: " + Self.text(errno)) }
            let closed = Glibc.close(descriptor)
            descriptor = -1
            guard closed == 0 else { throw .io(path: path, message: "close failed: " + Self.text(errno)) }
            guard rename(temporaryPath, path) == 0 else {
                throw .io(path: path, message: "cannot move the finished file into place: " + Self.text(errno))
            }
            finished = true
            sha256 = digest.hex()
            Self.syncFolder(of: path)
        } catch {
            discard()
            throw error
        }
    }

    /// Drops the file: the temporary file is removed, nothing appears at `path`.
    public func discard() {
        guard !finished else { return }
        finished = true
        if descriptor >= 0 { _ = Glibc.close(descriptor); descriptor = -1 }
        unlink(temporaryPath)
    }

    /// Writes a small file (a manifest, a report) whole, by the same temporary-file-and-rename
    /// route: readers see the old file or the new one, never a torn one.
    /// Returns the bytes' SHA-256.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String, permissions: OutputPermissions = .ownerOnly) throws(ExportError) -> String {
        let file = try OutputFile(path: path, permissions: permissions)
        try file.write(bytes)
        try file.close()
        return file.sha256!
    }

    /// Removes the file at `path` if there is one (a symbolic link there is removed itself,
    /// not followed), and makes the removal durable. A directory there is an error.
    public static func remove(_ path: String) throws(ExportError) {
        if unlink(path) != 0 {
            let reason = errno
            if reason == ENOENT { return }
            throw .io(path: path, message: "cannot remove: " + text(reason))
        }
        syncFolder(of: path)
    }

    private func flush() throws(ExportError) {
        guard !buffer.isEmpty else { return }
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ data: [UInt8]) throws(ExportError) {
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .io(path: path, message: "write failed: " + Self.text(errno)) }
            offset += n
        }
    }

    /// The folder part with its final slash (`""` for a bare name) and the name.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    private static func syncFolder(of path: String) {
        let folder = split(path).folder
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        // Best effort: some file systems refuse fsync on a directory; the rename is done.
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }

    private static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
