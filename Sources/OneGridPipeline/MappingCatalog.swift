import Foundation

/// Finds feed mappings (`NAME.yaml`) by feed name, searching in order: the folder given
/// (`--mappings`), `$ONEGRID_MAPPINGS`, `./Mappings`, the `Mappings` folder beside the
/// running binary, and `../share/onegrid/Mappings` beside it (an installed prefix). The
/// first folder holding the feed's file wins, so `onegrid` finds its mappings wherever it
/// is run from.
public struct MappingCatalog: Sendable {
    /// The folders searched, in order, without repeats.
    public let folders: [String]

    /// - Parameters:
    ///   - folder: `--mappings`, searched first.
    ///   - executablePath: the running binary (default: this process's), whose folder and
    ///     `../share/onegrid` are searched last.
    public init(folder: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                executablePath: String? = Bundle.main.executablePath) {
        var folders = [folder, environment["ONEGRID_MAPPINGS"], "Mappings"].compactMap { $0 }.filter { !$0.isEmpty }
        if let executablePath {
            let bin = ((executablePath as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
            folders.append((bin as NSString).appendingPathComponent("Mappings"))
            folders.append(((bin as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/onegrid/Mappings"))
        }
        var seen = Set<String>()
        self.folders = folders.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// No searched folder holds the feed's mapping.
    public struct NotFound: Error, Equatable, CustomStringConvertible {
        public var feed: String
        public var folders: [String]

        public init(feed: String, folders: [String]) {
            self.feed = feed
            self.folders = folders
        }

        public var description: String { "no mapping found for feed \(feed), looked in: \(folders.joined(separator: ", "))" }
    }

    /// The mapping file of `feed` in the first folder that holds one.
    public func path(feed: String) throws(NotFound) -> String {
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent(feed + ".yaml")
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw NotFound(feed: feed, folders: folders)
    }

    /// Every mapping file found, by file name without `.yaml`, the first folder's winning.
    public func allPaths() -> [(feed: String, path: String)] {
        var found: [String: String] = [:]
        var order: [String] = []
        for folder in folders {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for name in names where name.hasSuffix(".yaml") {
                let feed = String(name.dropLast(5))
                guard found[feed] == nil else { continue }
                found[feed] = (folder as NSString).appendingPathComponent(name)
                order.append(feed)
            }
        }
        return order.map { ($0, found[$0]!) }
    }
}
