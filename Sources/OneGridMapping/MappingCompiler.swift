import Crypto
import Foundation
import OneGridFeeds
import OneGridModel
import Yams

/// Turns a mapping file into a `Mapping`, checking every key, target, crosswalk, regex and
/// date format, and naming the YAML line and key path of the first fault.
struct MappingCompiler {
    let path: String
    let folder: String
    var columns: [Mapping.ColumnSpec] = []
    var slots: [String: Int] = [:]
    var inputFiles: [String] = []
    var hashInput: [UInt8] = []
    var format: FeedFormat = .csv
    var taxonomy: CategoryTaxonomy?
    /// Every path a rule of a tree feed reads, with its group's `each` path in front.
    var sourcePaths: [[String]] = []
    /// The `each` path of the group being compiled (empty outside groups).
    var groupPrefix: [String] = []

    init(path: String) {
        self.path = path
        folder = (path as NSString).deletingLastPathComponent
    }

    static let topKeys: Set<String> = [
        "feed", "description", "format", "columns", "schema", "skip_rows", "file_date", "key", "fields",
        "parties", "steps", "sort_steps", "taxonomy", "deadline_days",
    ]
    /// The most days a deadline may be: ten years, far beyond any department's time limit.
    static let maximumDeadlineDays = 3650
    static let ruleKeys: Set<String> = [
        "column", "path", "const", "concat", "separator", "first_of", "max_of", "any_of", "regex", "split",
        "index", "matches", "map", "map_default", "crosswalk", "parse", "formats", "default", "required",
        "on_error", "item", "where", "pick", "when",
    ]

    mutating func compile() throws(MappingError) -> Mapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MappingError(file: path, line: 0, keyPath: "", message: "mapping file not found")
        }
        hashInput.append(contentsOf: data)
        inputFiles.append(path)
        // The YAML gate: errors give line, column and a reason, never the file's text.
        guard let node = try YAMLDocument.parse(Array(data), file: path).root?.node else { throw MappingError(file: path, line: 1, keyPath: "", message: "the mapping file is empty") }
        let root = YAMLCursor(node: node, file: path, path: "")
        let entries = try root.entries(allowed: Self.topKeys)
        let top = Dictionary(entries, uniquingKeysWith: { a, _ in a })

        guard let feedNode = top["feed"] else { throw root.error("'feed' (the feed's name) is required") }
        let feed = try feedNode.string()
        guard feed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), !feed.isEmpty else {
            throw feedNode.error("a feed name holds letters, digits, '_' and '-' only")
        }
        let description = try top["description"]?.string()

        var options = FeedReaderOptions()
        if let f = top["format"] { options = try readFormat(f) }

        if let t = top["taxonomy"] {
            let p = try reference(t)
            do { taxonomy = try CategoryTaxonomy(path: p) } catch { throw t.error(error.message) }
            note(file: p, bytes: taxonomy!.bytes)
        }

        if let c = top["columns"] {
            guard format.addressing == .columns else { throw c.error("'columns' applies to csv feeds only") }
            for (name, aliases) in try c.entries() {
                let list: [String]
                if case .scalar(let scalar) = aliases.node, scalar.string.isEmpty || scalar.string == "~" { list = [] } else {
                    list = try aliases.strings()
                }
                columns[slot(for: name)].aliases = list
            }
        }

        var drift = Mapping.DriftPolicy()
        if let s = top["schema"] {
            for (k, v) in try s.entries(allowed: ["missing_required", "unknown_columns", "short_rows"]) {
                if k == "short_rows" {
                    // Padding is opt-in, for systems known to drop trailing empty cells.
                    guard format.addressing == .columns else { throw v.error("'short_rows' applies to csv feeds only") }
                    guard let policy = ShortRowPolicy(rawValue: try v.string()) else { throw v.error("reject or pad") }
                    options.shortRows = policy
                } else if k == "missing_required" {
                    guard let m = Mapping.DriftPolicy.Missing(rawValue: try v.string()) else { throw v.error("fail or warn") }
                    drift.missingRequired = m
                } else {
                    guard let u = Mapping.DriftPolicy.Unknown(rawValue: try v.string()) else { throw v.error("warn, ignore or fail") }
                    drift.unknown = u
                }
            }
        }

        var fileDate: NSRegularExpressionBox?
        if let fd = top["file_date"] { fileDate = try regex(fd) }

        guard let keyNode = top["key"] else { throw root.error("'key' (the rule for the record's own key) is required") }
        var keyRule = try rule(keyNode, kind: .text)
        keyRule.required = true
        keyRule.onError = .reject
        requireColumns(of: keyRule)
        var eventRules: [(EventTarget, FieldRule)] = [(.key, keyRule)]

        if let fields = top["fields"] {
            for (name, value) in try fields.entries() {
                guard let target = EventTarget(rawValue: name), target != .key else {
                    let known = EventTarget.allCases.filter { $0 != .key }.map(\.rawValue).joined(separator: ", ")
                    throw value.error("unknown target field '\(name)' (known: \(known))")
                }
                eventRules.append((target, try rule(value, kind: target.kind, target: name)))
            }
        }

        var skipRows: [Mapping.SkipRule] = []
        if let s = top["skip_rows"] {
            for item in try s.items() {
                var pattern: NSRegularExpressionBox?
                var patternText = "", reason = "skipped row"
                var slotIndex: Int?
                var segments: [PathSegment]?
                for (k, v) in try item.entries(allowed: ["pattern", "reason", "column", "path"]) {
                    switch k {
                    case "pattern": pattern = try regex(v); patternText = try v.string()
                    case "reason": reason = try v.string()
                    case "column":
                        guard format.addressing == .columns else { throw v.error("'column' applies to csv feeds; use 'path'") }
                        slotIndex = slot(for: try v.string())
                    default:
                        guard format.addressing == .paths else { throw v.error("'path' applies to xml and jsonl feeds; use 'column'") }
                        segments = try pathSegments(v)
                        sourcePaths.append(segments!.map(\.name))
                    }
                }
                guard let pattern else { throw item.error("a skip rule needs a 'pattern'") }
                if format.addressing == .paths && segments == nil {
                    throw item.error("a skip rule of an \(format.rawValue) feed needs the 'path' whose value it matches")
                }
                skipRows.append(.init(pattern: pattern, patternText: patternText, reason: reason, slot: slotIndex,
                                      segments: segments))
            }
        }

        let parties = try groups(top["parties"], PartyTarget.self, roleRequired: true)
        let steps = try groups(top["steps"], StepTarget.self, roleRequired: false)
        let sortSteps = try top["sort_steps"]?.bool() ?? true
        var deadlineDays: Int?
        if let d = top["deadline_days"] {
            let days = try d.int()
            guard (1...Self.maximumDeadlineDays).contains(days) else {
                throw d.error("deadline_days is a whole number of days from 1 to \(Self.maximumDeadlineDays), found \(days)")
            }
            deadlineDays = days
        }

        if format.addressing == .paths {
            guard columns.isEmpty else { throw root.error("'column' rules apply to csv feeds; use 'path' for \(format.rawValue)") }
        }
        let digest = SHA256.hash(data: hashInput)
        let hash = Hex.encode(digest)
        return Mapping(feed: feed, description: description, format: format, readOptions: options,
                       columns: columns, driftPolicy: drift, skipRows: skipRows, fileDatePattern: fileDate,
                       eventRules: eventRules, partyGroups: parties, stepGroups: steps, sortSteps: sortSteps,
                       deadlineDays: deadlineDays, taxonomy: taxonomy, hash: hash, path: path, inputFiles: inputFiles,
                       sourcePaths: Self.unique(sourcePaths))
    }

    static func unique(_ paths: [[String]]) -> [[String]] {
        var seen = Set<[String]>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// A file the mapping names (a crosswalk, the taxonomy): a relative path inside the
    /// mapping's folder, symbolic links resolved. An absolute path, or one that climbs out
    /// with `..` or through a link, is refused before the file is opened, so a mapping can
    /// make OneGrid read — and echo in an error — nothing outside its folder.
    func reference(_ node: YAMLCursor) throws(MappingError) -> String {
        let relative = try node.string()
        guard !relative.hasPrefix("/") else {
            throw node.error("'\(relative)' is an absolute path; a mapping names files relative to its own folder")
        }
        let path = resolve(relative)
        let base = Self.realPath(folder.isEmpty ? "." : folder) ?? folder
        // A missing file is judged by its spelling (the loader then says it is not found).
        let target = Self.realPath(path) ?? ((base as NSString).appendingPathComponent(relative) as NSString).standardizingPath
        guard target.hasPrefix(base.hasSuffix("/") ? base : base + "/") else {
            throw node.error("'\(relative)' is outside the mapping's folder")
        }
        return path
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : (folder.isEmpty ? relative : folder + "/" + relative)
    }

    mutating func note(file: String, bytes: [UInt8]) {
        guard !inputFiles.contains(file) else { return }
        inputFiles.append(file)
        // The name as seen from the mapping's folder, so the hash does not depend on the
        // folder the command ran from.
        let prefix = folder.isEmpty ? "" : folder + "/"
        let name = !prefix.isEmpty && file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
        hashInput.append(contentsOf: Array(name.utf8))
        hashInput.append(contentsOf: bytes)
    }

    mutating func slot(for name: String) -> Int {
        let canonical = TextNormalization.compact(name)
        if let s = slots[canonical] { return s }
        slots[canonical] = columns.count
        if canonical != name { slots[name] = columns.count }
        columns.append(.init(name: canonical, aliases: [], required: false))
        return columns.count - 1
    }

    mutating func readFormat(_ node: YAMLCursor) throws(MappingError) -> FeedReaderOptions {
        var options = FeedReaderOptions()
        var sawRecordPath = false
        for (k, v) in try node.entries(allowed: ["type", "encoding", "delimiter", "record_path", "skip_elements"]) {
            switch k {
            case "type":
                guard let f = FeedFormat(rawValue: try v.string()) else { throw v.error("type is csv, xml or jsonl") }
                format = f
            case "encoding":
                let name = try v.string()
                if name.lowercased() == "auto" { options.encoding = nil; break }
                switch name.lowercased().filter({ $0.isLetter || $0.isNumber }) {
                case "utf8": options.encoding = .utf8
                case "gb18030", "gbk", "gb2312": options.encoding = .gb18030
                default: throw v.error("encoding is auto, utf-8, gb18030, gbk or gb2312")
                }
            case "delimiter":
                let d = try v.string()
                let value = d == "\\t" ? "\t" : d
                guard value.utf8.count == 1 else { throw v.error("the delimiter is one ASCII character") }
                options.delimiter = value.utf8.first!
            case "record_path":
                let p = try v.string()
                guard p.hasPrefix("/") else { throw v.error("record_path starts at the root, e.g. /XFExport/Petition") }
                options.xmlRecordPath = p
                sawRecordPath = true
            default:
                options.skipElements = Set(try v.strings())
            }
        }
        if format == .xml && !sawRecordPath { throw node.error("xml feeds need 'record_path'") }
        return options
    }

    func regex(_ node: YAMLCursor) throws(MappingError) -> NSRegularExpressionBox {
        let text = try node.string()
        let box: NSRegularExpressionBox
        do { box = try NSRegularExpressionBox(text) } catch {
            throw node.error("'\(text)' is not a valid regular expression")
        }
        // Refused here, at `mapping check`, rather than stalling an import on one long value.
        if let refusal = RegexSafety.check(text) { throw node.error("'\(text)' could stall an import: \(refusal)") }
        return box
    }

    /// The steps of a path: names split on `/` (and `.` in jsonl), each with an optional
    /// position `[n]` (from 1), `[-n]` (from the end), `[first]` or `[last]`. A `#text` or
    /// `.` step names the element (or item) itself, so it adds nothing: `""`, `"."`, `"#text"`
    /// and `Step/#text` read an element's own text.
    func pathSegments(_ node: YAMLCursor, text given: String? = nil) throws(MappingError) -> [PathSegment] {
        var text = given ?? ""
        if given == nil { text = try node.string() }
        var out: [PathSegment] = []
        for raw in text.split(separator: "/") {
            // jsonl splits on dots too, except inside a position's brackets.
            var pieces: [Substring] = [raw]
            if format == .jsonl {
                pieces = []
                var depth = 0, start = raw.startIndex
                for i in raw.indices {
                    if raw[i] == "[" { depth += 1 } else if raw[i] == "]" { depth -= 1 }
                    if raw[i] == ".", depth == 0 { pieces.append(raw[start..<i]); start = raw.index(after: i) }
                }
                pieces.append(raw[start...])
            }
            for piece in pieces {
                var name = String(piece)
                var position: Int?
                if name.hasSuffix("]"), let open = name.firstIndex(of: "[") {
                    let inside = name[name.index(after: open)..<name.index(before: name.endIndex)].trimmingCharacters(in: .whitespaces)
                    switch inside {
                    case "first": position = 1
                    case "last": position = -1
                    default:
                        guard let n = Int(inside), n != 0 else {
                            throw node.error("'\(name)': a position is [n] from 1 (the first), [-n] from the end, [first] or [last]")
                        }
                        position = n
                    }
                    name = String(name[..<open])
                }
                if name.isEmpty || name == "." || name == "#text" {
                    guard position == nil else { throw node.error("'\(piece)': a position follows an element or key name") }
                    continue
                }
                out.append(PathSegment(name: name, position: position))
            }
        }
        // Only the spellings of "the element itself" may name no element: `/` is a slip.
        if out.isEmpty, !["", ".", "#text"].contains(text.trimmingCharacters(in: .whitespaces)) {
            throw node.error("a path names at least one element or key")
        }
        return out
    }

    /// Marks the columns a rule's value cannot come without as required in every header.
    mutating func requireColumns(of rule: FieldRule) {
        for name in rule.neededColumns {
            if let slot = slots[TextNormalization.compact(name)] ?? slots[name] { columns[slot].required = true }
        }
    }

    mutating func rule(_ node: YAMLCursor, kind: ValueKind, target: String? = nil,
                       numbered n: Int? = nil) throws(MappingError) -> FieldRule {
        // A bare string is shorthand for `column:` (csv) or `path:` (xml, jsonl).
        if case .scalar = node.node {
            let text = try node.string()
            let source: RuleSource = format.addressing == .columns
                ? .column(slot: slot(for: substitute(text, n)), name: substitute(text, n))
                : .path(try pathSegments(node, text: substitute(text, n)))
            if case .path(let segments) = source { sourcePaths.append(groupPrefix + segments.map(\.name)) }
            return FieldRule(source: source, parse: defaultParse(kind), required: false, onError: .reject,
                             label: node.path, sourceName: text)
        }
        let entries = try node.entries(allowed: Self.ruleKeys)
        let e = Dictionary(entries, uniquingKeysWith: { a, _ in a })
        let sourceKeys = ["column", "path", "const", "concat", "first_of", "max_of", "any_of"].filter { e[$0] != nil }
        guard sourceKeys.count == 1 else {
            throw node.error(sourceKeys.isEmpty
                ? "a rule needs one source: column, path, const, concat, first_of, max_of or any_of"
                : "a rule has one source, found \(sourceKeys.joined(separator: " and "))")
        }
        var sourceName = ""
        let source: RuleSource
        switch sourceKeys[0] {
        case "column":
            guard format.addressing == .columns else { throw e["column"]!.error("'column' applies to csv feeds; use 'path'") }
            let name = substitute(try e["column"]!.string(), n)
            sourceName = name
            source = .column(slot: slot(for: name), name: name)
        case "path":
            guard format.addressing == .paths else { throw e["path"]!.error("'path' applies to xml and jsonl feeds; use 'column'") }
            sourceName = substitute(try e["path"]!.string(), n)
            let segments = try pathSegments(e["path"]!, text: sourceName)
            sourcePaths.append(groupPrefix + itemPrefix(e["item"]) + segments.map(\.name))
            source = .path(segments)
        case "const":
            sourceName = try e["const"]!.string()
            source = .constant(sourceName)
        default:
            let key = sourceKeys[0]
            let subKind: ValueKind = key == "max_of" ? .timestamp : key == "any_of" ? .bool : .text
            var subs: [FieldRule] = []
            let saved = groupPrefix
            groupPrefix += itemPrefix(e["item"])
            for item in try e[key]!.items() { subs.append(try rule(item, kind: subKind, numbered: n)) }
            groupPrefix = saved
            // `来电时间+来电时间` says nothing more than `来电时间`: each source named once.
            var names: [String] = []
            for name in subs.map(\.sourceName) where !names.contains(name) { names.append(name) }
            sourceName = names.joined(separator: "+")
            switch key {
            case "concat": source = .concat(subs, separator: try e["separator"]?.string() ?? "")
            case "first_of": source = .firstOf(subs)
            case "max_of": source = .maxOf(subs)
            default: source = .anyOf(subs)
            }
        }
        var rule = FieldRule(source: source, parse: defaultParse(kind), required: false, onError: .reject,
                             label: node.path, sourceName: sourceName)
        if let r = e["regex"] { rule.regex = try regex(r) }
        if let s = e["split"] { rule.split = try s.string() }
        if let i = e["index"] { rule.splitIndex = try i.int() }
        if let m = e["matches"] { rule.matches = try regex(m); rule.parse = .bool }
        if let m = e["map"] {
            var map: [String: String] = [:]
            for (k, v) in try m.entries() { map[TextNormalization.clean(k) ?? k] = try v.string() }
            rule.map = map
        }
        if let d = e["map_default"] { rule.mapDefault = try d.string() }
        // A unified category that is not a code of the taxonomy would load with no name.
        if target == "category", let taxonomy {
            let given = (rule.map ?? [:]).values.sorted().map { (code: $0, key: "map") }
                + (rule.mapDefault.map { [(code: $0, key: "map_default")] } ?? [])
            for (code, key) in given where !taxonomy.contains(code) {
                throw (e[key] ?? node).error("'\(code)' is not a code of the taxonomy \(taxonomy.path)")
            }
        }
        if let c = e["crosswalk"] {
            let named = try c.string()
            let p = try reference(c)
            var crosswalk: Crosswalk
            do { crosswalk = try Crosswalk(path: p) } catch {
                throw c.error(error.line == 0 ? "\(error.message): \(error.file)" : error.description)
            }
            if target == "category", let taxonomy {
                for code in crosswalk.targets where !taxonomy.contains(code) {
                    throw c.error("crosswalk \(named) maps to '\(code)', which the taxonomy \(taxonomy.path) lacks")
                }
            }
            note(file: p, bytes: crosswalk.bytes)
            if target == "category" { crosswalk.taxonomy = taxonomy }
            rule.crosswalk = crosswalk
        }
        if let p = e["parse"] {
            let name = try p.string()
            switch name {
            case "text": rule.parse = .text
            case "datetime": rule.parse = .datetime(.standard)
            case "number": rule.parse = .number
            case "integer": rule.parse = .integer
            case "bool": rule.parse = .bool
            case "id_number": rule.parse = .idNumber
            case "phone": rule.parse = .phone
            default: throw p.error("parse is one of text, datetime, number, integer, bool, id_number, phone")
            }
        }
        if let f = e["formats"] {
            let listed = try f.strings()
            guard !listed.isEmpty else { throw f.error("formats lists at least one date format or form") }
            // Named forms pick which non-pattern forms count; naming none keeps them all.
            let named = listed.compactMap { DateTimeParser.Forms(name: $0) }
            let patterns = listed.filter { DateTimeParser.Forms(name: $0) == nil }
            let forms: DateTimeParser.Forms = named.isEmpty ? .all : DateTimeParser.Forms(named)
            do { rule.parse = .datetime(try DateTimeParser(patterns: patterns, forms: forms)) } catch {
                throw f.error(error.description)
            }
        }
        if let d = e["default"] { rule.defaultValue = try d.string() }
        if let r = e["required"] { rule.required = try r.bool() }
        if let o = e["on_error"] {
            guard let policy = OnError(rawValue: try o.string()) else { throw o.error("on_error is reject or drop_value") }
            rule.onError = policy
        }
        if let w = e["when"] {
            // Paths of a condition are read from the record (or group item), like the rule's.
            rule.condition = RuleBox(try self.rule(w, kind: .bool, numbered: n))
        }
        if let i = e["item"] {
            guard format.addressing == .paths else { throw i.error("'item' picks from a repeated element or array: xml and jsonl feeds") }
            let segments = try pathSegments(i)
            guard !segments.isEmpty else { throw i.error("'item' names the repeated element or array, e.g. Handling/Step") }
            var pick = ItemPick(segments: segments, condition: nil, position: 1)
            if let w = e["where"] {
                let saved = groupPrefix
                groupPrefix += segments.map(\.name)
                pick.condition = RuleBox(try self.rule(w, kind: .bool, numbered: n))
                groupPrefix = saved
            }
            if let p = e["pick"] {
                let text = try p.string()
                switch text {
                case "first": pick.position = 1
                case "last": pick.position = -1
                default:
                    guard let position = Int(text), position != 0 else {
                        throw p.error("pick is first, last, or a position: 1 the first, 2 the second, -1 the last")
                    }
                    pick.position = position
                }
            }
            rule.pick = pick
        } else {
            for key in ["where", "pick"] where e[key] != nil {
                throw e[key]!.error("'\(key)' chooses among the items of 'item' (e.g. item: Handling/Step)")
            }
        }
        try check(rule, kind: kind, node: node)
        if rule.required { requireColumns(of: rule) }
        return rule
    }

    /// Checks the rule can produce what its target holds.
    func check(_ rule: FieldRule, kind: ValueKind, node: YAMLCursor) throws(MappingError) {
        func accepts(_ values: [String], _ valid: (String) -> Bool, _ what: String) throws(MappingError) {
            for v in values where !valid(v) { throw node.error("'\(v)' is not a \(what)") }
        }
        let produced = Array(rule.map?.values ?? [:].values) + (rule.mapDefault.map { [$0] } ?? [])
            + (rule.defaultValue.map { [$0] } ?? [])
        switch kind {
        case .status:
            try accepts(produced, { EventStatus(rawValue: $0) != nil },
                        "unified status (\(EventStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
        case .satisfaction:
            try accepts(produced, { Satisfaction(rawValue: $0) != nil },
                        "unified satisfaction (\(Satisfaction.allCases.map(\.rawValue).joined(separator: ", ")))")
        case .datum:
            try accepts(produced, { Datum(name: $0) != nil }, "datum (wgs84, gcj02, bd09)")
        default:
            break
        }
    }

    func defaultParse(_ kind: ValueKind) -> ValueParse {
        switch kind {
        case .timestamp: return .datetime(.standard)
        case .bool: return .bool
        case .integer: return .integer
        case .number: return .number
        case .idNumber: return .idNumber
        case .phone: return .phone
        case .text, .status, .satisfaction, .datum: return .text
        }
    }

    /// The names of an `item:` path, put in front of the rule's own paths for the dry-run's
    /// list of fields read.
    func itemPrefix(_ node: YAMLCursor?) -> [String] {
        guard let node, let segments = try? pathSegments(node) else { return [] }
        return segments.map(\.name)
    }

    func substitute(_ text: String, _ n: Int?) -> String {
        guard let n else { return text }
        return text.replacingOccurrences(of: "{n}", with: String(n))
    }

    mutating func groups<T: RawRepresentable & CaseIterable & Sendable>(
        _ node: YAMLCursor?, _ type: T.Type, roleRequired: Bool
    ) throws(MappingError) -> [Mapping.GroupSpec<T>] where T.RawValue == String {
        guard let node else { return [] }
        var out: [Mapping.GroupSpec<T>] = []
        let items = node.isSequence ? try node.items() : [node]
        for item in items {
            let e = Dictionary(try item.entries(allowed: ["each", "numbered", "role", "fields"]), uniquingKeysWith: { a, _ in a })
            guard let fields = e["fields"] else { throw item.error("a group needs 'fields'") }
            var each: Mapping.GroupSpec<T>.Each = .once
            var prefix: [String] = []
            if let p = e["each"] {
                guard format.addressing == .paths else { throw p.error("'each' takes a path in xml/jsonl feeds; csv groups use 'numbered'") }
                let segments = try pathSegments(p)
                prefix = segments.map(\.name)
                each = .path(segments)
            }
            if e["each"] != nil, let nNode = e["numbered"] {
                throw nNode.error("a group is repeated by 'each' (xml/jsonl) or 'numbered' (csv), not both")
            }
            groupPrefix = prefix
            defer { groupPrefix = [] }
            var numbered: ClosedRange<Int>?
            if let nNode = e["numbered"] {
                let text = try nNode.string()
                let bounds = text.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard bounds.count == 2, bounds[0] <= bounds[1] else { throw nNode.error("numbered is a range like 1-3") }
                numbered = bounds[0]...bounds[1]
            }
            func kind(_ t: T) -> ValueKind {
                if let p = t as? PartyTarget { return p.kind }
                if let s = t as? StepTarget { return s.kind }
                return .text
            }
            func compileFields(_ n: Int?) throws(MappingError) -> [(T, FieldRule)] {
                var rules: [(T, FieldRule)] = []
                for (name, value) in try fields.entries() {
                    guard let t = T(rawValue: name) else {
                        let known = T.allCases.map(\.rawValue).joined(separator: ", ")
                        throw value.error("unknown group field '\(name)' (known: \(known))")
                    }
                    rules.append((t, try rule(value, kind: kind(t), numbered: n)))
                }
                return rules
            }
            var rules: [(T, FieldRule)] = []
            if let numbered {
                var perN: [Int: [(T, FieldRule)]] = [:]
                for n in numbered { perN[n] = try compileFields(n) }
                each = .numbered(numbered, rulesPerN: perN)
                rules = perN[numbered.lowerBound] ?? []
            } else {
                rules = try compileFields(nil)
            }
            let role = try e["role"]?.string()
            if roleRequired && role == nil && !rules.contains(where: { $0.0.rawValue == "role" }) {
                throw item.error("a party group needs a 'role' (caller, petitioner, reporter…)")
            }
            out.append(.init(each: each, role: role, rules: rules))
        }
        return out
    }
}

