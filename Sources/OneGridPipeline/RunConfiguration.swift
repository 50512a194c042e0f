import Foundation
import Yams

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
            throw ConfigurationError(file: path, line: 0, key: "", message: "cannot read the configuration file")
        }
        return try parse(text, path: path)
    }

    /// Parses configuration text; `path` names it in errors and anchors relative paths.
    public static func parse(_ text: String, path: String) throws -> RunConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigurationError(file: path, line: 1, key: "", message: "the configuration file is empty")
            }
            root = node
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(file: path, line: 0, key: "", message: "not valid YAML: \(error)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let top = ConfigNode(node: root, file: path, key: "")
        let entries = try top.entries(allowed: ["warehouse", "key_file", "mappings", "processed", "reject_threshold", "feeds"])
        func value(_ key: String) -> ConfigNode? { entries.first { $0.0 == key }?.1 }

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
        for (name, node) in try feedsNode.entries(allowed: nil) {
            let fields = try node.entries(allowed: ["mapping", "inbox", "pattern", "reject_threshold"])
            func field(_ key: String) -> ConfigNode? { fields.first { $0.0 == key }?.1 }
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
        return RunConfiguration(path: path, warehouse: warehouse, keyFile: keyFile, processed: processed, feeds: feeds)
    }

    static func threshold(_ node: ConfigNode, base: RejectThreshold) throws -> RejectThreshold {
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

/// A configuration file that cannot be used, with where the problem is.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// Line of the offending node, from 1 (0 when the file cannot be read at all).
    public var line: Int
    /// Dotted key path, e.g. `feeds.hotline12345.reject_threshold.max_share`.
    public var key: String
    public var message: String

    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        "\(file):\(line): \(key.isEmpty ? "" : "'\(key)': ")\(message)"
    }
}

/// A YAML node with its file and key path, so every complaint says where it is.
struct ConfigNode {
    let node: Node
    let file: String
    let key: String

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: (node.mark?.line ?? 0), key: key, message: message)
    }

    func string() throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a single value") }
        return scalar.string
    }

    func entries(allowed: Set<String>?) throws(ConfigurationError) -> [(String, ConfigNode)] {
        guard let mapping = node.mapping else { throw error("expected key: value pairs") }
        var out: [(String, ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            guard let name = keyNode.string else { throw ConfigNode(node: keyNode, file: file, key: key).error("keys must be text") }
            let path = key.isEmpty ? name : key + "." + name
            if let allowed, !allowed.contains(name) {
                throw ConfigNode(node: keyNode, file: file, key: path)
                    .error("unknown key '\(name)' (known keys: \(allowed.sorted().joined(separator: ", ")))")
            }
            out.append((name, ConfigNode(node: valueNode, file: file, key: path)))
        }
        return out
    }
}
