import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The deliveries waiting in one feed's inbox folder: regular files whose names match the
/// feed's pattern (hidden files and partial uploads ending `.part` or `.tmp` never do).
///
/// Only regular files are listed, judged with `lstat` (the entry itself): a symbolic link is
/// skipped — an inbox link to the key file or to `/etc/passwd` would otherwise be read, and
/// its lines stored as rejects — unless the run configuration says `follow_symlinks: true`,
/// and then its target must be a regular file. FIFOs (whose open would block the run),
/// devices, sockets and folders are skipped. Every skip says why, for the log.
public enum Inbox {
    /// An inbox entry that matched the pattern and is not read.
    public struct Skip: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    /// What an inbox holds for a run: files to read, in loading order, and what was passed over.
    public struct Listing: Sendable, Equatable {
        public var files: [String]
        public var skipped: [Skip]
    }

    /// Matching regular files, in the order they must load: export date (from the mapping's
    /// `file_date`), then name; and the matching entries skipped, by name.
    public static func listing(in folder: String, pattern: String, followSymlinks: Bool = false,
                               exportDate: (String) -> String?) throws -> Listing {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw InboxProblem(folder: folder, message: "the inbox folder cannot be listed")
        }
        var found: [String] = []
        var skipped: [Skip] = []
        for name in names.sorted() where matches(name, pattern: pattern) {
            let path = (folder as NSString).appendingPathComponent(name)
            if let reason = skipReason(path, followSymlinks: followSymlinks) {
                skipped.append(Skip(path: path, reason: reason))
            } else {
                found.append(path)
            }
        }
        let files = found.sorted { a, b in
            let da = exportDate(a) ?? "", db = exportDate(b) ?? ""
            return da == db ? a < b : da < db
        }
        return Listing(files: files, skipped: skipped)
    }

    /// Why an inbox entry is not read, or nil for a regular file (or, when links are
    /// followed, a link whose target is one).
    static func skipReason(_ path: String, followSymlinks: Bool) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "cannot be examined: \(String(cString: strerror(errno)))" }
        var kind = info.st_mode & S_IFMT
        if kind == S_IFLNK {
            guard followSymlinks else { return "a symbolic link (set follow_symlinks: true to read links)" }
            guard stat(path, &info) == 0 else { return "a symbolic link whose target cannot be examined" }
            kind = info.st_mode & S_IFMT
            guard kind == S_IFREG else { return "a symbolic link to \(describe(kind)), not to a regular file" }
            return nil
        }
        guard kind == S_IFREG else { return describe(kind) + ", not a regular file" }
        return nil
    }

    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    /// Whether a file name matches a shell pattern (`*`, `?`, `[…]`), never for hidden or
    /// partial files.
    public static func matches(_ name: String, pattern: String) -> Bool {
        if name.hasPrefix(".") || name.hasSuffix(".part") || name.hasSuffix(".tmp") { return false }
        return fnmatch(pattern, name, 0) == 0
    }

    /// Moves a processed file into `folder` (created if need be), never over another file:
    /// a name already taken gets `.1`, `.2`… appended. Returns the new path.
    public static func move(_ path: String, into folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = (path as NSString).lastPathComponent
        var target = (folder as NSString).appendingPathComponent(name)
        var n = 0
        while FileManager.default.fileExists(atPath: target) {
            n += 1
            target = (folder as NSString).appendingPathComponent("\(name).\(n)")
        }
        guard rename(path, target) == 0 else {
            throw InboxProblem(folder: folder, message: "cannot move \(path) here: \(String(cString: strerror(errno)))")
        }
        return target
    }
}

/// An inbox that cannot be read or written.
public struct InboxProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var folder: String
    public var message: String
    public var description: String { "\(folder): \(message)" }
}
