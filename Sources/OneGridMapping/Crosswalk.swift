import Foundation
import Yams

/// A code table that translates a department's values (a category path, a code) into the
/// unified codes, loaded from a YAML file under `Mappings/codes/`.
///
/// With `match: prefix`, a path like `城乡建设>市容环卫>餐饮油烟>夜间` finds the entry of its
/// longest listed prefix; separators listed in `separators` are treated alike, so older
/// exports writing `城乡建设/市容环卫` meet the same entry.
public struct Crosswalk: Sendable {
    public enum Match: String, Sendable { case exact, prefix }

    public let path: String
    public let match: Match
    public let separators: [String]
    let entries: [String: String]
    /// The file's bytes, part of the mapping's version hash.
    public let bytes: [UInt8]

    public var targets: Set<String> { Set(entries.values) }

    public init(path: String) throws(MappingError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MappingError(file: path, line: 0, keyPath: "", message: "crosswalk file not found")
        }
        bytes = Array(data)
        let node: Node?
        do { node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw MappingError(file: path, line: 0, keyPath: "", message: "not valid YAML: \(error)")
        }
        guard let node else { throw MappingError(file: path, line: 1, keyPath: "", message: "empty crosswalk") }
        let root = YAMLCursor(node: node, file: path, path: "")
        var match = Match.exact
        var separators: [String] = []
        var entries: [String: String] = [:]
        for (key, value) in try root.entries(allowed: ["description", "match", "separators", "entries"]) {
            switch key {
            case "description": _ = try value.string()
            case "match":
                guard let m = Match(rawValue: try value.string()) else { throw value.error("match is exact or prefix") }
                match = m
            case "separators": separators = try value.strings()
            case "entries":
                for (from, to) in try value.entries() {
                    entries[Self.normalise(from, separators: separators)] = try to.string()
                }
            default: break
            }
        }
        self.match = match
        self.separators = separators
        self.entries = entries
    }

    static func normalise(_ text: String, separators: [String]) -> String {
        // Checked first: most values need no replacement, and replacing is costly.
        var t = text.utf8.contains(0x20) ? text.replacingOccurrences(of: " ", with: "") : text
        for s in separators where s != ">" && t.contains(s) { t = t.replacingOccurrences(of: s, with: ">") }
        return t
    }

    /// The unified value for a source value, or nil when the table lacks it.
    public func lookup(_ value: String) -> String? {
        let key = Self.normalise(value, separators: separators)
        if let hit = entries[key] { return hit }
        guard match == .prefix else { return nil }
        var levels = key.split(separator: ">", omittingEmptySubsequences: true)
        while levels.count > 1 {
            levels.removeLast()
            if let hit = entries[levels.joined(separator: ">")] { return hit }
        }
        return nil
    }
}

/// The unified category taxonomy (`Mappings/codes/categories.yaml`): domains and classes
/// with their codes and names.
public struct CategoryTaxonomy: Sendable {
    /// One node of the taxonomy.
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var name: String
        public var parentCode: String?
        public var level: Int
    }

    public let entries: [Entry]
    public let path: String
    public let bytes: [UInt8]

    public func contains(_ code: String) -> Bool { entries.contains { $0.code == code } }

    public init(path: String) throws(MappingError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MappingError(file: path, line: 0, keyPath: "", message: "taxonomy file not found")
        }
        bytes = Array(data)
        let node: Node?
        do { node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw MappingError(file: path, line: 0, keyPath: "", message: "not valid YAML: \(error)")
        }
        guard let node else { throw MappingError(file: path, line: 1, keyPath: "", message: "empty taxonomy") }
        let root = YAMLCursor(node: node, file: path, path: "")
        var entries: [Entry] = []
        for (key, value) in try root.entries(allowed: ["description", "domains"]) where key == "domains" {
            for domain in try value.items() {
                var code = "", name = ""
                var classes: [YAMLCursor] = []
                for (k, v) in try domain.entries(allowed: ["code", "name", "classes"]) {
                    switch k {
                    case "code": code = try v.string()
                    case "name": name = try v.string()
                    default: classes = try v.items()
                    }
                }
                entries.append(Entry(code: code, name: name, parentCode: nil, level: 1))
                for cls in classes {
                    var ccode = "", cname = ""
                    for (k, v) in try cls.entries(allowed: ["code", "name"]) {
                        if k == "code" { ccode = try v.string() } else { cname = try v.string() }
                    }
                    guard ccode.hasPrefix(code + ".") else { throw cls.error("class code \(ccode) must start with \(code).") }
                    entries.append(Entry(code: ccode, name: cname, parentCode: code, level: 2))
                }
            }
        }
        self.entries = entries
    }
}
