import Foundation

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
    /// `default:` — the code for a value nothing in the table (nor its fallback) matches;
    /// such a value is still listed as unmapped, so the analyst sees what took it.
    public let defaultCode: String?
    /// The file's bytes, part of the mapping's version hash.
    public let bytes: [UInt8]
    /// The taxonomy a category crosswalk points into, for `resolve(_:)`'s fallback by name:
    /// the file's own `taxonomy:` (a file beside it), so the fallback holds wherever the
    /// crosswalk is used — a `first_of` branch included; the mapping compiler also sets the
    /// mapping's taxonomy when the rule's target is `category`.
    public var taxonomy: CategoryTaxonomy?

    public var targets: Set<String> { Set(entries.values).union(defaultCode.map { [$0] } ?? []) }

    public init(path: String) throws(MappingError) {
        let document = try YAMLDocument.load(path: path, kind: "crosswalk")
        self.path = path
        bytes = document.bytes
        guard let root = document.root else { throw MappingError(file: path, line: 1, keyPath: "", message: "empty crosswalk") }
        var match = Match.exact
        var separators: [String] = []
        var entryNodes: YAMLCursor?
        var defaultCode: String?
        var taxonomy: CategoryTaxonomy?
        for (key, value) in try root.entries(allowed: ["description", "match", "separators", "entries", "default", "taxonomy"]) {
            switch key {
            case "taxonomy":
                // A sibling file only: a code table never reaches outside its own folder.
                let name = try value.string()
                guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), name != "..", name != "." else {
                    throw value.error("taxonomy names a file beside this crosswalk, e.g. taxonomy: categories.yaml")
                }
                let sibling = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
                do { taxonomy = try CategoryTaxonomy(path: sibling) } catch {
                    throw value.error("taxonomy \(name): \(error.line == 0 ? error.message : error.description)")
                }
            case "default":
                let code = try value.string()
                guard !code.isEmpty else { throw value.error("default is a code, e.g. default: MS.99") }
                defaultCode = code
            case "description": _ = try value.string()
            case "match":
                guard let m = Match(rawValue: try value.string()) else { throw value.error("match is exact or prefix") }
                match = m
            case "separators": separators = try value.strings()
            default: entryNodes = value
            }
        }
        // Entries are read after the separators, wherever the file lists them.
        var entries: [String: String] = [:]
        if let entryNodes {
            for (from, to) in try entryNodes.entries() {
                // An empty key can never match (empty values never reach a crosswalk): an
                // analyst writing `"": MS.99` means a default.
                guard !from.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw to.error("an empty key matches nothing (an empty value never reaches a crosswalk); for values the table lacks write `default: \((try? to.string()) ?? "CODE")` beside `entries`")
                }
                let key = Self.normalise(from, separators: separators)
                let code = try to.string()
                if let earlier = entries[key], earlier != code {
                    throw to.error("'\(from)' is listed twice, with \(earlier) and \(code)")
                }
                entries[key] = code
            }
        }
        self.match = match
        self.separators = separators
        self.entries = entries
        self.defaultCode = defaultCode
        self.taxonomy = taxonomy
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
        return parentHit(key)?.code
    }

    /// The entry of the longest listed proper prefix of a normalised path.
    func parentHit(_ key: String) -> (code: String, prefix: String)? {
        var levels = key.split(separator: ">", omittingEmptySubsequences: true)
        while levels.count > 1 {
            levels.removeLast()
            let prefix = levels.joined(separator: ">")
            if let hit = entries[prefix] { return (hit, prefix) }
        }
        return nil
    }

    /// The unified category of a source path, with the fallback a path missing from the table
    /// takes: the path itself (`exact`); its longest listed parent path (`parent`); then its
    /// segments, last first, against the taxonomy's names and synonyms (`leaf`, with the
    /// score); then the file's `default` (`fallback`); else `none`.
    ///
    /// A parent hit under `match: prefix` is the table's own answer (the file says deeper
    /// paths fall back), unless it is a catch-all (`X.99` or a domain) and the leaf names a
    /// class (not a catch-all) of the same domain: `城乡建设>市政设施>路灯损坏` is CG.07,
    /// not CG.99. Every other
    /// fallback is a suggestion (`isSuggestion`): the mapper still lists the value as unmapped,
    /// with the suggested class and score, so the analyst maps the wording in one round.
    public func resolve(_ value: String) -> CrosswalkMatch {
        let key = Self.normalise(value, separators: separators)
        if let hit = entries[key] { return CrosswalkMatch(code: hit, level: .exact) }
        let parent = parentHit(key)
        if let parent, match == .prefix, !(taxonomy?.isCatchAll(parent.code) ?? false) {
            return CrosswalkMatch(code: parent.code, level: .parent)
        }
        let leaf = leafSuggestion(key)
        if let parent {
            if let leaf, let code = leaf.code, code != parent.code, !(taxonomy?.isCatchAll(code) ?? true),
               CategoryTaxonomy.domain(of: code) == CategoryTaxonomy.domain(of: parent.code) {
                return leaf
            }
            return CrosswalkMatch(code: parent.code, level: .parent, isSuggestion: match == .exact)
        }
        if let leaf { return leaf }
        if let defaultCode { return CrosswalkMatch(code: defaultCode, level: .fallback, isSuggestion: true) }
        return CrosswalkMatch(code: nil, level: .none, isSuggestion: false)
    }

    /// The taxonomy's suggestion for the deepest segment that names a class.
    func leafSuggestion(_ key: String) -> CrosswalkMatch? {
        guard let taxonomy else { return nil }
        for segment in key.split(separator: ">", omittingEmptySubsequences: true).reversed() {
            if let s = taxonomy.suggest(String(segment)) {
                return CrosswalkMatch(code: s.code, level: .leaf, score: s.score, isSuggestion: true,
                                      matched: String(segment), term: s.term)
            }
        }
        return nil
    }
}

/// How a source category was found in a crosswalk: the unified code (nil at `none`), the
/// level that matched and, for `leaf`, how close the wording was to the taxonomy term.
public struct CrosswalkMatch: Sendable, Equatable {
    /// `exact`: the value is listed; `parent`: a shorter path is; `leaf`: a segment matched a
    /// taxonomy name or synonym; `fallback`: nothing did and the file's `default` was taken;
    /// `none`: nothing did and the file has no default.
    public enum Level: String, Sendable, CaseIterable { case exact, parent, leaf, fallback = "default", none }

    public var code: String?
    public var level: Level
    /// For `leaf`: 1 for an equal name or synonym, below 1 by similarity (at least
    /// `CategoryTaxonomy.minimumScore`).
    public var score: Double?
    /// The code was found by the fallback, not listed for this value: use it, and list the
    /// value as unmapped with this suggestion. False for `exact`, for `parent` under
    /// `match: prefix`, and for `none` (nothing to suggest).
    public var isSuggestion: Bool
    /// For `leaf`: the path segment that matched and the taxonomy term it matched.
    public var matched: String?
    public var term: String?

    public init(code: String?, level: Level, score: Double? = nil, isSuggestion: Bool = false,
                matched: String? = nil, term: String? = nil) {
        self.code = code
        self.level = level
        self.score = score
        self.isSuggestion = isSuggestion
        self.matched = matched
        self.term = term
    }

    /// Whether the value must be listed as unmapped for the analyst.
    public var isUnmapped: Bool { level == .none || isSuggestion }
}
