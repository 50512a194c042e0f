import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The deliveries waiting in one feed's inbox folder: regular files whose names match the
/// feed's pattern (hidden files and partial uploads ending `.part` or `.tmp` never do).
public enum Inbox {
    /// Matching files, in the order they must load: export date (from the mapping's
    /// `file_date`), then name.
    public static func files(in folder: String, pattern: String, exportDate: (String) -> String?) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw InboxProblem(folder: folder, message: "the inbox folder cannot be listed")
        }
        var found: [String] = []
        for name in names where matches(name, pattern: pattern) {
            let path = (folder as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            found.append(path)
        }
        return found.sorted { a, b in
            let da = exportDate(a) ?? "", db = exportDate(b) ?? ""
            return da == db ? a < b : da < db
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
