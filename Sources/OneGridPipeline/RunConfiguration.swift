import Foundation
import OneGridMapping

/// What `onegrid run` reads from `onegrid.yaml`: the warehouse and its key, the feeds to
/// watch (mapping, inbox folder, file pattern), what becomes of processed files, and the
/// reject threshold per file. Relative paths are taken from the configuration file's folder.
public struct RunConfiguration: Sendable, Equatable {
    /// What happens to a file once a run is done with it.
    public enum Processed: String, Sendable, Equatable, Codable {
        /// Files stay in the inbox; later runs skip them by fingerprint.
        case leave
        /// Loaded (or already loaded) files move to `archive/`, failed ones to `failed/`,
        /// both beside the inbox folder.
        case archive
    }

    /// One watched feed.
    public struct Feed: Sendable, Equatable {
        public var name: String
        /// The mapping file's path.
        public var mapping: String
        /// The folder new deliveries land in.
        public var inbox: String
        /// A shell pattern (`fnmatch`) file names must match, e.g. `12345_*.csv*`.
        public var pattern: String
        public var threshold: RejectThreshold

        /// `archive/` beside the inbox: `/srv/inbox/hotline` → `/srv/inbox/archive/hotline`.
        public var archiveFolder: String { sibling("archive") }
        /// `failed/` beside the inbox: `/srv/inbox/hotline` → `/srv/inbox/failed/hotline`.
        public var failedFolder: String { sibling("failed") }

        func sibling(_ kind: String) -> String {
            let parent = (inbox as NSString).deletingLastPathComponent
            let name = (inbox as NSString).lastPathComponent
            return ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(kind + "/" + name)
        }
    }

    public var path: String
    public var warehouse: String
    public var keyFile: String?
    public var processed: Processed
    public var feeds: [Feed]
    /// `follow_symlinks: true`: an inbox's symbolic links are read when their target is a
    /// regular file; by default they are skipped with a logged reason (see `Inbox`).
    public var followSymlinks = false

    public var workspacePaths: WorkspacePaths {
        WorkspacePaths(warehouse: warehouse, keyFile: keyFile, environment: [:])
    }

    public init(path: String, warehouse: String, keyFile: String?, processed: Processed, feeds: [Feed]) {
        self.path = path
        self.warehouse = warehouse
        self.keyFile = keyFile
        self.processed = processed
        self.feeds = feeds
    }

    /// Reads and checks a configuration file; every complaint is a `ConfigurationError`
    /// naming the file, line and key.
    public static func load(path: String) throws -> RunConfiguration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError(file: path, line: 0, keyPath: "", message: "cannot read the configuration file")
        }
        return try parse(text, path: path)
    }

    /// Parses configuration text; `path` names it in errors and anchors relative paths.
    public static func parse(_ text: String, path: String) throws -> RunConfiguration {
        // The one YAML gate: size, nesting and alias limits, and errors that never print the
        // file's text (a configuration names key files and folders).
        guard let top = try YAMLDocument.parse(Array(text.utf8), file: path).root else {
            throw ConfigurationError(file: path, line: 1, keyPath: "", message: "the configuration file is empty")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let entries = try top.entries(allowed: ["warehouse", "key_file", "mappings", "processed", "reject_threshold", "feeds", "follow_symlinks",
                                              "publish"])
        func value(_ key: String) -> YAMLCursor? { entries.first { $0.0 == key }?.1 }

        guard let warehouseNode = value("warehouse") else { throw top.error("the key 'warehouse' is required") }
        let warehouse = resolve(try warehouseNode.string(), in: folder)
        let keyFile = try value("key_file").map { resolve(try $0.string(), in: folder) }
        let mappings = try value("mappings").map { resolve(try $0.string(), in: folder) } ?? resolve("Mappings", in: folder)
        var processed = Processed.leave
        if let node = value("processed") {
            let text = try node.string()
            guard let p = Processed(rawValue: text) else { throw node.error("'\(text)' is not one of: leave, archive") }
            processed = p
        }
        let defaultThreshold = try value("reject_threshold").map { try threshold($0, base: .none) } ?? .none
        guard let feedsNode = value("feeds") else { throw top.error("the key 'feeds' is required") }
        var feeds: [Feed] = []
        for (name, node) in try feedsNode.entries() {
            let fields = try node.entries(allowed: ["mapping", "inbox", "pattern", "reject_threshold"])
            func field(_ key: String) -> YAMLCursor? { fields.first { $0.0 == key }?.1 }
            guard let inbox = field("inbox") else { throw node.error("the key 'inbox' is required") }
            let mappingText = try field("mapping")?.string() ?? name
            let mapping = mappingText.hasSuffix(".yaml") || mappingText.hasSuffix(".yml") || mappingText.contains("/")
                ? resolve(mappingText, in: folder)
                : (mappings as NSString).appendingPathComponent(mappingText + ".yaml")
            let feedThreshold = try field("reject_threshold").map { try threshold($0, base: defaultThreshold) } ?? defaultThreshold
            feeds.append(Feed(name: name, mapping: mapping, inbox: resolve(try inbox.string(), in: folder),
                              pattern: try field("pattern")?.string() ?? "*", threshold: feedThreshold))
        }
        guard !feeds.isEmpty else { throw feedsNode.error("no feed is configured") }
        var configuration = RunConfiguration(path: path, warehouse: warehouse, keyFile: keyFile, processed: processed, feeds: feeds)
        if let node = value("follow_symlinks") {
            switch try node.string() {
            case "true": configuration.followSymlinks = true
            case "false": configuration.followSymlinks = false
            case let text: throw node.error("'\(text)' is not one of: true, false")
            }
        }
        return configuration
    }

    static func threshold(_ node: YAMLCursor, base: RejectThreshold) throws -> RejectThreshold {
        var t = base
        for (key, value) in try node.entries(allowed: ["max_rejected", "max_share", "min_records"]) {
            let text = try value.string()
            switch key {
            case "max_rejected":
                guard let n = Int(text), n >= 0 else { throw value.error("expected a whole number ≥ 0") }
                t.maxRejected = n
            case "max_share":
                let share = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
                guard let share, share >= 0, share <= 1 else { throw value.error("expected a share between 0 and 1 (or a percentage such as 5%)") }
                t.maxShare = share
            default:
                guard let n = Int(text), n >= 0 else { throw value.error("expected a whole number ≥ 0") }
                t.minimumRecords = n
            }
        }
        return t
    }

    static func resolve(_ path: String, in folder: String) -> String {
        if path.hasPrefix("/") || folder.isEmpty { return path }
        if path.hasPrefix("~/") { return (path as NSString).expandingTildeInPath }
        return (folder as NSString).appendingPathComponent(path)
    }
}

/// A configuration file that cannot be used: the same file / line / key path error as a
/// mapping file's.
public typealias ConfigurationError = MappingError
