import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock that keeps two loading runs off one warehouse: `flock` on `<warehouse>.lock`,
/// which holds the PID of the run that has it.
///
/// Advice for hackers: the kernel drops an `flock` when its process dies, however it dies
/// (SIGKILL included), so a lock file left behind by a killed run is just a file and never
/// blocks the next run. The file is therefore never deleted: deleting it would let a third
/// run lock a fresh inode while the second still holds the old one.
public final class RunLock {
    /// Another process holds the lock.
    public struct Held: Error, Sendable, Equatable, CustomStringConvertible {
        public var lockFile: String
        /// The PID the holder wrote, when it could be read.
        public var pid: Int32?

        public init(lockFile: String, pid: Int32?) {
            self.lockFile = lockFile
            self.pid = pid
        }

        public var description: String {
            "another onegrid run holds \(lockFile)" + (pid.map { " (pid \($0))" } ?? "") + "; this run does nothing"
        }
    }

    public let path: String
    private var descriptor: Int32

    /// `<warehouse>.lock`.
    public static func path(forWarehouse warehouse: String) -> String { warehouse + ".lock" }

    /// Takes the lock at once, or throws `Held` naming the holder, or `RunLockProblem`
    /// (an unwritable folder, say).
    public init(warehouse: String) throws {
        path = Self.path(forWarehouse: warehouse)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunLockProblem(path: path, message: String(cString: strerror(errno)))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            let holder = Self.readPID(descriptor)
            close(descriptor)
            if failure == EWOULDBLOCK { throw Held(lockFile: path, pid: holder) }
            throw RunLockProblem(path: path, message: String(cString: strerror(failure)))
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Releases the lock (the file stays).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// The lock file cannot be opened or locked for a reason other than another run.
public struct RunLockProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): cannot take the run lock: \(message)" }
}
