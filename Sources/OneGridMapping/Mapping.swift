import Crypto
import Foundation
import OneGridFeeds
import OneGridModel
import Yams

/// A feed mapping compiled from its YAML file: how to read the department's files and how
/// each record becomes a unified event. Compiling validates everything that can be checked
/// without data (keys, targets, crosswalks, regexes, date formats); see Mappings/README.md.
public struct Mapping: Sendable {
    /// The feed name, stored as every event's `source`.
    public let feed: String
    public let description: String?
    public let format: FeedFormat
    public let readOptions: FeedReaderOptions
    /// Canonical column names, by slot, with the header spellings each accepts.
    public let columns: [ColumnSpec]
    public let driftPolicy: DriftPolicy
    public let skipRows: [SkipRule]
    let fileDatePattern: NSRegularExpressionBox?
    let eventRules: [(EventTarget, FieldRule)]
    let partyGroups: [GroupSpec<PartyTarget>]
    let stepGroups: [GroupSpec<StepTarget>]
    public let sortSteps: Bool
    /// `deadline_days`: the days this feed's departments have to close a matter, counted
    /// from acceptance (the overdue warning's deadline); nil when the mapping does not say.
    public let deadlineDays: Int?
    /// The unified taxonomy the mapping's category crosswalks point into.
    public let taxonomy: CategoryTaxonomy?
    /// SHA-256 of the mapping file and every file it uses (crosswalks, taxonomy), in hex.
    public let hash: String
    public let path: String
    /// Every file that contributed to the hash.
    public let inputFiles: [String]
    /// For xml and jsonl feeds: every path the mapping reads, from the record's root
    /// (a group's `each` path in front of its fields' paths), in order of first mention.
    public let sourcePaths: [[String]]

    /// A column of a CSV feed: its canonical name and the other spellings older exports use.
    public struct ColumnSpec: Sendable, Hashable {
        public var name: String
        public var aliases: [String]
        /// Whether a file lacking this column fails (the key and required fields' columns).
        public var required: Bool
    }

    /// What to do when a file's columns differ from the mapping's.
    public struct DriftPolicy: Sendable, Hashable {
        public enum Missing: String, Sendable { case fail, warn }
        public enum Unknown: String, Sendable { case warn, ignore, fail }
        public var missingRequired: Missing = .fail
        public var unknown: Unknown = .warn
    }

    /// A row passed over on purpose (a footer such as `合计：1234条`), matched by pattern.
    public struct SkipRule: Sendable {
        let pattern: NSRegularExpressionBox
        public let patternText: String
        public let reason: String
        /// The column whose text is matched; nil means the row's first non-empty cell.
        let slot: Int?
        /// For xml and jsonl feeds, the path whose value is matched.
        let segments: [PathSegment]?
    }

    struct GroupSpec<Target: RawRepresentable & Sendable>: Sendable where Target.RawValue == String {
        enum Each: Sendable {
            case once
            case path([PathSegment])
            case numbered(ClosedRange<Int>, rulesPerN: [Int: [(Target, FieldRule)]])
        }
        var each: Each
        var role: String?
        var rules: [(Target, FieldRule)]
    }

    /// Loads and compiles a mapping file. Relative crosswalk paths are taken from the
    /// mapping file's folder.
    public static func load(path: String) throws(MappingError) -> Mapping {
        var compiler = MappingCompiler(path: path)
        return try compiler.compile()
    }

    init(feed: String, description: String?, format: FeedFormat, readOptions: FeedReaderOptions,
         columns: [ColumnSpec], driftPolicy: DriftPolicy, skipRows: [SkipRule],
         fileDatePattern: NSRegularExpressionBox?, eventRules: [(EventTarget, FieldRule)],
         partyGroups: [GroupSpec<PartyTarget>], stepGroups: [GroupSpec<StepTarget>], sortSteps: Bool,
         deadlineDays: Int? = nil, taxonomy: CategoryTaxonomy?, hash: String, path: String, inputFiles: [String], sourcePaths: [[String]]) {
        self.feed = feed
        self.description = description
        self.format = format
        self.readOptions = readOptions
        self.columns = columns
        self.driftPolicy = driftPolicy
        self.skipRows = skipRows
        self.fileDatePattern = fileDatePattern
        self.eventRules = eventRules
        self.partyGroups = partyGroups
        self.stepGroups = stepGroups
        self.sortSteps = sortSteps
        self.deadlineDays = deadlineDays
        self.taxonomy = taxonomy
        self.hash = hash
        self.path = path
        self.inputFiles = inputFiles
        self.sourcePaths = sourcePaths
    }

    /// How a path is written in this feed's mapping files (`a.b` for jsonl, `a/b` for xml).
    public func pathText(_ segments: [String]) -> String {
        segments.joined(separator: format == .jsonl ? "." : "/")
    }

    /// The export date a file's name carries (`12345_20200623.csv` → `20200623`), used to
    /// order files and to break ties between versions with equal times.
    public func exportDate(fileName: String) -> String? {
        guard let fileDatePattern else { return nil }
        return fileDatePattern.firstGroup(in: (fileName as NSString).lastPathComponent)
    }

    /// Files in the order they load: by the export date their names carry (`file_date`),
    /// files with equal or no dates in the order given. One rule for import and dry-run, so
    /// a dry-run over several files meets them as an import would.
    public func loadOrder(_ files: [String]) -> [String] {
        files.enumerated().sorted { a, b in
            let da = exportDate(fileName: a.element) ?? "", db = exportDate(fileName: b.element) ?? ""
            return da == db ? a.offset < b.offset : da < db
        }.map(\.element)
    }

    /// The target fields the mapping fills, for coverage reports.
    public var targetNames: [String] {
        eventRules.map { $0.0.rawValue }
            + partyGroups.flatMap { g in g.rules.map { "parties." + $0.0.rawValue } }
            + stepGroups.flatMap { g in g.rules.map { "steps." + $0.0.rawValue } }
    }
}
