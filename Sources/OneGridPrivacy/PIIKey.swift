import Crypto
import Foundation
import OneGridModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The secret that keys every person token and seals every raw record. It lives in a file
/// outside the warehouse (mode 0600); the warehouse keeps only its fingerprint, so a
/// warehouse opened with another key is refused instead of silently unlinking everyone.
public struct PIIKey: Sendable {
    let material: SymmetricKey

    /// Why a key file cannot be used.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case malformed(path: String)
        case tooOpen(path: String, mode: String)
        /// The path (or the file a symbolic link there points to) is a directory, a FIFO, a
        /// device or a socket: only a regular file is read.
        case notRegularFile(path: String)
        /// Something is already at the path where a new key file was to be written (a
        /// dangling symbolic link included).
        case exists(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "\(path): cannot read key file: \(reason)"
            case .malformed(let path): return "\(path): key file must hold 64 hexadecimal characters"
            case .tooOpen(let path, let mode): return "\(path): key file mode is \(mode); run chmod 600 on it"
            case .notRegularFile(let path): return "\(path): key file is not a regular file"
            case .exists(let path): return "\(path): something is already there; a new key file is never written over it"
            }
        }
    }

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a PII key is 32 bytes")
        material = SymmetricKey(data: bytes)
    }

    /// A fresh random key.
    public static func generate() -> PIIKey {
        PIIKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// Longer than any key file with generous white space: a bigger file is not a key.
    static let maximumFileSize = 4096

    /// Reads a key file (64 hex characters, surrounding white space ignored).
    ///
    /// A symbolic link is followed and the file it points to is judged: its mode must give
    /// nothing to group and others, and it must be a regular file. The mode is taken with
    /// `fstat` on the descriptor the key is read from, so what is checked is what is read
    /// (no window between a check by path and the read). Links are allowed because deployments
    /// put them there on purpose: Kubernetes secret volumes and configuration managers
    /// place the key as a link into a managed folder. A FIFO or a device is refused without
    /// blocking (`O_NONBLOCK`).
    public static func load(path: String) throws(Problem) -> PIIKey {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path: path) }
        let mode = Int(info.st_mode & 0o7777)
        if mode & 0o077 != 0 { throw .tooOpen(path: path, mode: String(mode, radix: 8)) }
        var bytes = [UInt8](repeating: 0, count: maximumFileSize + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumFileSize, let text = String(validating: bytes[0..<count], as: UTF8.self) else {
            throw .malformed(path: path)
        }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.utf8.count == 64, let key = Hex.decode(hex) else { throw .malformed(path: path) }
        return PIIKey(bytes: key)
    }

    /// Writes the key as hex to a new file with mode 0600. Never writes over anything: an
    /// existing file, or a symbolic link (even a dangling one, which would otherwise be
    /// followed to create a file wherever it points), is refused as `exists`.
    public func write(path: String) throws(Problem) {
        let hex = Array((material.withUnsafeBytes { Hex.encode(Array($0)) } + "\n").utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw .exists(path: path) }
            throw .unreadable(path: path, reason: "cannot create the key file: " + String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var written = 0
        while written < hex.count {
            let n = hex.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw .unreadable(path: path, reason: "cannot write the key file: " + reason)
            }
            written += n
        }
        // The umask may have removed bits, never added any; fchmod makes the mode exact.
        guard fchmod(fd, 0o600) == 0, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .unreadable(path: path, reason: "cannot write the key file: " + reason)
        }
    }

    /// A public fingerprint of the key (SHA-256 of a derived value, 16 hex characters).
    public var fingerprint: String {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Data("onegrid fingerprint".utf8), outputByteCount: 32)
        let digest = derived.withUnsafeBytes { SHA256.hash(data: Data($0)) }
        return String(Hex.encode(Array(digest)).prefix(16))
    }

    func derived(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Data("onegrid \(purpose)".utf8), outputByteCount: 32)
    }
}

/// `write(2)`, named apart from `PIIKey.write(path:)`, which hides it inside the type.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
