import Foundation
import Synchronization
import OneGridFeeds
import OneGridModel
import OneGridPrivacy

/// One step of a path into a tree record: an element or key name, and optionally which of
/// the items found there to keep (`Step[3]`, `Step[-1]`, `Step[last]`).
struct PathSegment: Sendable, Hashable {
    var name: String
    /// From 1 (the first item), negative from the end (-1 the last); nil keeps every item.
    var position: Int?
}

/// Which item of a repeated group a rule reads: a position from 1, or negative from the end.
struct ItemPick: Sendable {
    /// The repeated element or array, relative to the record (or to the group item).
    var segments: [PathSegment]
    /// A condition on each item (paths relative to it): only items where it is true count.
    var condition: RuleBox?
    /// 1 = the first matching item (the default), -1 the last, n the n-th.
    var position: Int
}

/// A rule held by reference, so a rule can carry its condition rules (`when`, `where`).
final class RuleBox: Sendable {
    let rule: FieldRule
    init(_ rule: FieldRule) { self.rule = rule }
}

/// Where a rule takes its text from.
indirect enum RuleSource: Sendable {
    /// A CSV column, by its slot in the mapping's column table (resolved per file header).
    case column(slot: Int, name: String)
    /// A path into a tree record (XML element or JSON object), relative to the group item
    /// when inside a repeated group. No segment at all is the element (or item) itself.
    case path([PathSegment])
    case constant(String)
    /// Sub-rules' texts joined with a separator (empty parts left out).
    case concat([FieldRule], separator: String)
    /// The first sub-rule that yields a value the rule accepts: a branch whose value fails
    /// (its own parse, or the outer rule's transforms and parse) falls through to the next.
    case firstOf([FieldRule])
    /// The latest of several date-times.
    case maxOf([FieldRule])
    /// true when any sub-rule yields true.
    case anyOf([FieldRule])
}

/// How a rule's text becomes a typed value.
enum ValueParse: Sendable {
    case text
    case datetime(DateTimeParser)
    case number
    case integer
    case bool
    case idNumber
    case phone
}

/// What the run does with a value that fails its rule.
public enum OnError: String, Sendable {
    /// The whole record goes to the rejects.
    case reject
    /// The value is dropped, the record kept, and a finding recorded.
    case dropValue = "drop_value"
}

/// A typed value produced by a rule.
enum MappedValue: Sendable {
    case text(String)
    case timestamp(Timestamp)
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case idNumber(IDNumber)
    case phone(PhoneNumber)

    var text: String? {
        switch self {
        case .text(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .timestamp(let t): return t.beijingText
        case .idNumber(let id): return id.value
        case .phone(let p): return p.value
        }
    }
}

/// A value that failed a rule.
struct RuleFailure: Error, Sendable {
    var reason: RejectReason
    var message: String
    var rawValue: String?
    /// The source (column or path) whose value failed, set by the innermost rule.
    var field: String?
}

/// One compiled field rule: source, transforms, parse, default, requirement, error policy.
struct FieldRule: Sendable {
    var source: RuleSource
    var regex: NSRegularExpressionBox?
    var split: String?
    var splitIndex: Int?
    var matches: NSRegularExpressionBox?
    var map: [String: String]?
    var mapDefault: String?
    var crosswalk: Crosswalk?
    var parse: ValueParse
    var defaultValue: String?
    var required: Bool
    var onError: OnError
    /// `when:` — the rule applies only to records where this condition is true; elsewhere
    /// it yields nothing (no default, no requirement).
    var condition: RuleBox?
    /// `item:` (with `where:` and `pick:`) — the one item of a repeated group the source is
    /// read from.
    var pick: ItemPick?
    /// The YAML key path, for messages.
    var label: String
    /// The source name shown in rejects (a column header or a path).
    var sourceName: String
    /// The crosswalk's answers for values seen before (`crosswalk` is a pure function of the value).
    let crosswalkMatches = TextMemo<CrosswalkMatch>()

    /// The raw text of the source (before transforms).
    func rawText(_ view: RecordView) throws(RuleFailure) -> String? {
        switch source {
        case .column(let slot, _): return view.cell(slot)
        case .path(let segments): return view.text(at: segments)
        case .constant(let value): return value
        case .concat(let rules, let separator):
            // Parts are evaluated values (a part's `parse: phone` gives 13912345678 for
            // `+86-139 1234 5678`); a failing part fails the whole unless it drops its value.
            var parts: [String] = []
            for rule in rules {
                do {
                    if let t = try rule.evaluate(view)?.text, !t.isEmpty { parts.append(t) }
                } catch where rule.onError == .dropValue { continue }
            }
            return parts.isEmpty ? nil : parts.joined(separator: separator)
        case .firstOf, .maxOf, .anyOf:
            return nil
        }
    }

    /// The rule's value, nil when empty; throws when the value is bad, naming the source
    /// of the innermost failing rule.
    ///
    /// `note` hears what does not stop the value but an analyst must see: a crosswalk
    /// fallback (the code it suggests is used, and the value is still listed as unmapped).
    func evaluate(_ view: RecordView, note: ((RuleFailure) -> Void)? = nil) throws(RuleFailure) -> MappedValue? {
        do { return try evaluateUnlabelled(view, note: note) } catch {
            var failure = error
            if failure.field == nil { failure.field = sourceName }
            throw failure
        }
    }

    /// Whether a condition rule (`when`, `where`) holds: true only for a true value; a value
    /// that cannot be read counts as false.
    static func holds(_ condition: RuleBox, in view: RecordView) -> Bool {
        if case .bool(true)? = try? condition.rule.evaluate(view) { return true }
        return false
    }

    private func evaluateUnlabelled(_ view: RecordView, note: ((RuleFailure) -> Void)?) throws(RuleFailure) -> MappedValue? {
        if let condition, !Self.holds(condition, in: view) { return nil }
        guard let pick else { return try evaluateSource(view, note: note) }
        // The picked item scopes the source; no item at all reads as an empty value.
        guard let item = view.pick(pick) else { return try transform(nil, note: note) }
        return try evaluateSource(item, note: note)
    }

    private func evaluateSource(_ view: RecordView, note: ((RuleFailure) -> Void)?) throws(RuleFailure) -> MappedValue? {
        switch source {
        case .maxOf(let rules):
            var best: Timestamp?
            for rule in rules {
                // A path may name a repeated element (every Handling/Step/@at): all count.
                if case .path(let segments) = rule.source, rule.pick == nil, rule.condition == nil, let root = view.scope ?? view.tree {
                    for value in RecordView.values(at: segments, in: root) {
                        guard let text = TextNormalization.clean(value.text) else { continue }
                        do {
                            if case .timestamp(let t)? = try Self.parse(text, as: rule.parse) { best = max(best ?? t, t) }
                        } catch where rule.onError == .dropValue { continue }
                    }
                    continue
                }
                do {
                    if case .timestamp(let t)? = try rule.evaluate(view) { best = max(best ?? t, t) }
                } catch where rule.onError == .dropValue { continue }
            }
            return best.map { .timestamp($0) }
        case .anyOf(let rules):
            var any = false
            for rule in rules { if case .bool(true)? = try rule.evaluate(view) { any = true } }
            return .bool(any)
        case .firstOf(let rules):
            return try firstOf(rules, view, note: note)
        default:
            return try transform(try rawText(view), note: note)
        }
    }

    /// `first_of`: each branch's value goes through this rule's own steps (regex … parse);
    /// the first that comes out whole is the value. A branch that fails anywhere falls
    /// through; when none is left, the failure names every source tried and what it held.
    private func firstOf(_ rules: [FieldRule], _ view: RecordView, note: ((RuleFailure) -> Void)?) throws(RuleFailure) -> MappedValue? {
        var tried: [String] = []
        var firstFailure: RuleFailure?
        for rule in rules {
            let name = rule.sourceName.isEmpty ? "?" : rule.sourceName
            do {
                guard let text = try rule.evaluate(view)?.text, !text.isEmpty else {
                    tried.append("\(name) empty")
                    continue
                }
                // A branch's value passes this rule's steps without its default: only when
                // every branch is empty does the default apply.
                if let value = try transform(text, note: note, allowDefault: false) { return value }
                tried.append("\(name) '\(shown(text))' gave nothing")
            } catch {
                tried.append("\(name) '\(error.rawValue ?? "")' (\(error.reason))")
                if firstFailure == nil { firstFailure = error }
            }
        }
        let summary = "tried " + tried.joined(separator: ", ")
        if var failure = firstFailure {
            failure.message = "no source gave a usable value: \(summary)"
            failure.field = nil
            throw failure
        }
        if let defaultValue { return try Self.parse(defaultValue, as: parse) }
        if required { throw RuleFailure(reason: .missingRequired, message: "required value is empty (\(summary))", rawValue: nil) }
        return nil
    }

    /// Steps 2–9 of a rule (regex, split, matches, clean-up, default and requirement, map,
    /// crosswalk, parse) on its source text.
    private func transform(_ source: String?, note: ((RuleFailure) -> Void)?, allowDefault: Bool = true) throws(RuleFailure) -> MappedValue? {
        var text = source
        // A mapping regex never sees a value longer than the bound (issue #12: a stall on
        // 5,001 characters): such a value fails before any pattern runs.
        if let t = text, regex != nil || matches != nil, !RegexSafety.admits(t) {
            throw RuleFailure(reason: .valueTooLong,
                              message: "a value of \(t.utf16.count) characters is longer than the \(RegexSafety.maximumInputLength) a mapping regex reads",
                              rawValue: shown(String(t.prefix(32))))
        }
        if let t = text, let regex {
            text = regex.firstGroup(in: t)
        }
        if let t = text, let split {
            let pieces = t.components(separatedBy: split).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            let index = splitIndex ?? 0
            let resolved = index < 0 ? pieces.count + index : index
            text = pieces.indices.contains(resolved) ? pieces[resolved] : nil
        }
        if let matches {
            return .bool(text.map { matches.matches($0) } ?? false)
        }
        let cleaned = TextNormalization.clean(text)
        // A default is already a unified value: it skips the value map and crosswalk.
        if allowDefault, cleaned == nil, let defaultValue { return try Self.parse(defaultValue, as: parse) }
        guard var value = cleaned else {
            if required && allowDefault { throw RuleFailure(reason: .missingRequired, message: "required value is empty", rawValue: nil) }
            return nil
        }
        if let map {
            if let hit = map[value] {
                value = hit
            } else if let mapDefault {
                value = mapDefault
            } else {
                throw RuleFailure(reason: .unmappedValue, message: "'\(shown(value))' is not in the value map", rawValue: shown(value))
            }
        }
        if let crosswalk {
            // A path missing from the crosswalk falls back to its parent path, then to its
            // segments against the taxonomy's names and synonyms, then to the file's
            // `default` (`Crosswalk.resolve`).
            let match = crosswalkMatches.value(for: value, crosswalk.resolve)
            let named = (crosswalk.path as NSString).lastPathComponent
            guard let code = match.code else {
                throw RuleFailure(reason: .unmappedValue, message: "'\(shown(value))' is not in crosswalk \(named)",
                                  rawValue: shown(value), field: sourceName)
            }
            if match.isSuggestion {
                let score = match.score.map { String(format: ", score %.2f", $0) } ?? ""
                note?(RuleFailure(reason: .unmappedValue,
                                  message: "'\(shown(value))' is not in crosswalk \(named); \(Finding.suggestionMarker) \(code) (\(match.level.rawValue)\(score))",
                                  rawValue: shown(value), field: sourceName))
            }
            value = code
        }
        return try Self.parse(value, as: parse, shownAs: shownKind)
    }

    /// What the rule's source holds, for `SourceValueMask`: a party's name (by the rule's
    /// YAML key path), a phone or ID number (by its parse), anything else as text.
    var shownKind: SourceValueKind {
        switch parse {
        case .phone: return .phone
        case .idNumber: return .idNumber
        default:
            let keys = label.split(whereSeparator: { !$0.isLetter && $0 != "_" })
            return keys.contains("parties") && keys.contains("name") ? .personName : .text
        }
    }

    /// A source value as messages and findings show it.
    func shown(_ value: String) -> String { SourceValueMask.standard.show(value, as: shownKind) }

    /// A typed value from a rule's text. Failures carry the value only as `SourceValueMask`
    /// shows it (`kind`): messages and `unmapped_value` reach people and the warehouse.
    /// `kind` is read only when the value fails: it splits the rule's label, a fifth of a
    /// petition's mapping time in a profile when it was read for every value.
    static func parse(_ value: String, as parse: ValueParse, shownAs kind: @autoclosure () -> SourceValueKind = .text) throws(RuleFailure) -> MappedValue? {
        func shown() -> String { SourceValueMask.standard.show(value, as: kind()) }
        switch parse {
        case .text:
            return .text(value)
        case .datetime(let parser):
            do { return try parser.parse(value).map { .timestamp($0) } } catch {
                throw RuleFailure(reason: .invalidDatetime, message: error.description, rawValue: shown())
            }
        case .number:
            guard let d = Double(value.replacingOccurrences(of: ",", with: "")), d.isFinite else {
                throw RuleFailure(reason: .invalidNumber, message: "'\(shown())' is not a number", rawValue: shown())
            }
            return .number(d)
        case .integer:
            guard let i = WholeNumber.parse(value) else {
                throw RuleFailure(reason: .invalidInteger, message: "'\(shown())' is not a whole number", rawValue: shown())
            }
            return .integer(i)
        case .bool:
            switch value.lowercased() {
            case "是", "true", "1", "y", "yes", "t", "有": return .bool(true)
            case "否", "false", "0", "n", "no", "f", "无": return .bool(false)
            default: throw RuleFailure(reason: .invalidBool, message: "'\(shown())' is not yes/no (是/否, true/false, 1/0)", rawValue: shown())
            }
        case .idNumber:
            do { return .idNumber(try IDNumber(parsing: value)) } catch {
                throw RuleFailure(reason: error == .scientificNotation ? .excelDamagedID : .invalidIDNumber,
                                  message: error.description, rawValue: shown())
            }
        case .phone:
            do { return .phone(try PhoneNumber(parsing: value)) } catch {
                throw RuleFailure(reason: error == .scientificNotation ? .excelDamagedPhone : .invalidPhone,
                                  message: error.description, rawValue: shown())
            }
        }
    }
}

/// NSRegularExpression is not Sendable on Linux; it is immutable once built, so a box that
/// only reads it is safe to share.
struct NSRegularExpressionBox: @unchecked Sendable {
    let regex: NSRegularExpression
    /// What the pattern gave for texts seen before (see `TextMemo`).
    private let groups = TextMemo<String?>()
    private let found = TextMemo<Bool>()

    init(_ pattern: String) throws {
        regex = try NSRegularExpression(pattern: pattern)
    }

    /// The first capture group of the first match, or the whole match without groups.
    func firstGroup(in text: String) -> String? {
        groups.value(for: text) { text in
            let ns = text as NSString
            guard let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
            let range = m.numberOfRanges > 1 ? m.range(at: 1) : m.range
            return range.location == NSNotFound ? nil : ns.substring(with: range)
        }
    }

    func matches(_ text: String) -> Bool {
        found.value(for: text) { text in
            regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
        }
    }

    /// The memos, for tests.
    var memos: (groups: TextMemo<String?>, matches: TextMemo<Bool>) { (groups, found) }
}

/// The answers of a pure function of a text (a mapping regex, a crosswalk), by the text's
/// exact bytes. A call of NSRegularExpression costs 1–4 µs on Linux (the text is bridged to
/// UTF-16 for ICU), a crosswalk miss a similarity search, and most columns they read repeat
/// a few values (a status, a category path, a footer pattern's first cell). A function whose
/// texts hardly repeat (a record key) stops being remembered after a trial, so it pays a
/// look-up only during the trial. Shared by the mapping workers; bounded, and texts longer
/// than `longestText` bytes (free text) are never kept.
final class TextMemo<Value: Sendable>: Sendable {
    private struct State {
        var table: [ExactText: Value] = [:]
        var lookups = 0
        var hits = 0
        var remembering = true
    }

    private enum Look { case known(Value), unknown, off }

    private let state = Mutex(State())
    /// Texts remembered; the table starts over when full.
    static var limit: Int { 4096 }
    /// Longer texts are computed every time.
    static var longestText: Int { 256 }
    /// Look-ups of the trial; fewer hits than one in four of them turn the memo off.
    static var trial: Int { 2048 }

    /// The remembered value of `text`, else `compute(text)`, remembered.
    func value(for text: String, _ compute: (String) -> Value) -> Value {
        guard text.utf8.count <= Self.longestText else { return compute(text) }
        let key = ExactText(text)
        switch state.withLock({ s -> Look in
            guard s.remembering else { return .off }
            let known = s.table[key]
            if s.lookups < Self.trial {
                s.lookups += 1
                if known != nil { s.hits += 1 }
                if s.lookups == Self.trial, s.hits * 4 < Self.trial {
                    s.remembering = false
                    s.table = [:]
                }
            }
            return known.map { .known($0) } ?? .unknown
        }) {
        case .known(let value): return value
        case .off: return compute(text)
        case .unknown:
            let value = compute(text)
            state.withLock { s in
                guard s.remembering else { return }
                if s.table.count >= Self.limit { s.table.removeAll(keepingCapacity: true) }
                s.table[key] = value
            }
            return value
        }
    }

    /// Whether answers are still remembered, and how many are (for tests).
    var isRemembering: Bool { state.withLock { $0.remembering } }
    var count: Int { state.withLock { $0.table.count } }
}

/// A text compared and hashed by its exact UTF-8 bytes, as a memo key: `String`'s own `==`
/// takes canonically equivalent texts (a precomposed `é` and `e` + U+0301) for one, while a
/// regex, working on UTF-16 code units, may answer them differently.
struct ExactText: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: ExactText, b: ExactText) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Read access to one record for rule evaluation: CSV cells through the bound header, or
/// a tree, scoped to the current item of a repeated group.
struct RecordView {
    let cells: [String]?
    let slotToCell: [Int]
    let tree: RecordValue?
    /// Column slots of numbered groups are already expanded; `scope` is the group item.
    let scope: RecordValue?

    func cell(_ slot: Int) -> String? {
        guard let cells, slot < slotToCell.count else { return nil }
        let index = slotToCell[slot]
        return index >= 0 && index < cells.count ? cells[index] : nil
    }

    func text(at segments: [PathSegment]) -> String? {
        guard let root = scope ?? tree else { return nil }
        return RecordView.values(at: segments, in: root).first?.text
    }

    /// The view scoped to the item a pick chooses, nil when no item qualifies.
    func pick(_ pick: ItemPick) -> RecordView? {
        guard let root = scope ?? tree else { return nil }
        var items = RecordView.values(at: pick.segments, in: root)
        if let condition = pick.condition {
            items = items.filter { FieldRule.holds(condition, in: RecordView(cells: nil, slotToCell: [], tree: tree, scope: $0)) }
        }
        guard let chosen = RecordView.item(items, at: pick.position) else { return nil }
        return RecordView(cells: nil, slotToCell: [], tree: tree, scope: chosen)
    }

    /// The item at a position from 1, or negative from the end.
    static func item<T>(_ items: [T], at position: Int) -> T? {
        let index = position > 0 ? position - 1 : items.count + position
        return items.indices.contains(index) ? items[index] : nil
    }

    /// Every value at a path: an array met on the way stands for its items; a segment with
    /// a position keeps that item of each parent's items (XPath's `Step[2]`, per parent).
    static func values(at segments: [PathSegment], in root: RecordValue) -> [RecordValue] {
        var current = [root]
        for segment in segments {
            current = current.flatMap { value -> [RecordValue] in
                let found = value.children(named: segment.name).flatMap { item -> [RecordValue] in
                    if case .array(let items) = item { return items }
                    return [item]
                }
                guard let position = segment.position else { return found }
                return item(found, at: position).map { [$0] } ?? []
            }
            if current.isEmpty { return [] }
        }
        return current
    }
}

extension FieldRule {
    /// The CSV columns the rule reads, its sub-rules' included.
    var columnNames: [String] {
        switch source {
        case .column(_, let name): return [name]
        case .concat(let rules, _), .firstOf(let rules), .maxOf(let rules), .anyOf(let rules): return rules.flatMap(\.columnNames)
        case .path, .constant: return []
        }
    }

    /// The CSV columns a value of this rule cannot come without, for the header check: a
    /// column; every part of a concat; of a first_of, the columns every branch needs (so
    /// `first_of: [{column: 来电时间, formats: …}, {column: 来电时间}]` still requires 来电时间).
    var neededColumns: Set<String> {
        switch source {
        case .column(_, let name): return [name]
        case .concat(let rules, _): return rules.reduce(into: Set<String>()) { $0.formUnion($1.neededColumns) }
        case .firstOf(let rules):
            guard let first = rules.first else { return [] }
            return rules.dropFirst().reduce(first.neededColumns) { $0.intersection($1.neededColumns) }
        case .path, .constant, .maxOf, .anyOf: return []
        }
    }
}

extension Mapping {
    /// The CSV header names (each column's name and aliases) whose cells are people's names,
    /// so that a raw record shown under the default PII level masks them as names (`王**`).
    public var personNameColumns: Set<String> {
        var names: Set<String> = []
        for group in partyGroups {
            var rules = group.rules
            if case .numbered(_, let perN) = group.each { rules += perN.values.flatMap { $0 } }
            for (target, rule) in rules where target == .name { names.formUnion(rule.columnNames) }
        }
        for spec in columns where names.contains(spec.name) { names.formUnion(spec.aliases) }
        return names
    }
}
