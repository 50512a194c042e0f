import Foundation
import OneGridFeeds
import OneGridModel

/// What a mapping made of one record.
public enum MappedRecord: Sendable {
    /// A unified event, with the data-quality findings of its values.
    case event(EventDraft, findings: [Finding])
    /// The record goes to the rejects: why, and which field.
    case rejected(RecordRejection)
    /// Passed over on purpose (a footer row), counted as skipped.
    case skipped(reason: String)
}

/// Why a mapped record was rejected: a reason code, the field, a message, the bad value.
public struct RecordRejection: Sendable, Hashable {
    public var reason: RejectReason
    public var field: String?
    public var message: String
    public var rawValue: String?

    public init(reason: RejectReason, field: String?, message: String, rawValue: String? = nil) {
        self.reason = reason
        self.field = field
        self.message = message
        self.rawValue = rawValue
    }
}

/// How a file's header compares with the mapping's columns.
public struct HeaderReport: Sendable, Hashable, Codable {
    /// Mapping columns the file lacks (by canonical name).
    public var missing: [String] = []
    /// Of those, the ones required (the key's and required fields').
    public var missingRequired: [String] = []
    /// Header cells no mapping column names.
    public var unknown: [String] = []
    /// Mapping columns found, by canonical name, with the header spelling that matched.
    public var matched: [String: String] = [:]
}

/// A mapping bound to one file: CSV columns resolved against the file's header once, so
/// every record is mapped by index.
public final class RecordMapper {
    public let mapping: Mapping
    public let headerReport: HeaderReport
    let slotToCell: [Int]
    let fileName: String

    /// Binds the mapping to a file's header; fails the file (schema drift) when a required
    /// column is missing, showing expected against found columns.
    public init(mapping: Mapping, header: [String]?, file: String) throws(FeedError) {
        self.mapping = mapping
        fileName = file
        var report = HeaderReport()
        var slots = [Int](repeating: -1, count: mapping.columns.count)
        if let header {
            let normalised = header.map(Self.normaliseHeader)
            let stripped = normalised.map(Self.stripBrackets)
            var used = Set<Int>()
            for (slot, column) in mapping.columns.enumerated() {
                let candidates = ([column.name] + column.aliases).map(Self.normaliseHeader)
                var found: Int?
                for c in candidates {
                    if let i = normalised.firstIndex(of: c), !used.contains(i) { found = i; break }
                }
                if found == nil {
                    for c in candidates.map(Self.stripBrackets) {
                        if let i = stripped.firstIndex(of: c), !used.contains(i) { found = i; break }
                    }
                }
                if let found {
                    slots[slot] = found
                    used.insert(found)
                    report.matched[column.name] = header[found]
                } else {
                    report.missing.append(column.name)
                    if column.required { report.missingRequired.append(column.name) }
                }
            }
            // `unknown_columns: ignore` means the analyst knows of them: not even reported.
            if mapping.driftPolicy.unknown != .ignore {
                report.unknown = header.indices.filter { !used.contains($0) }.map { header[$0] }
            }
            if !report.missingRequired.isEmpty && mapping.driftPolicy.missingRequired == .fail {
                throw FeedError(kind: .schemaDrift, position: SourcePosition(file: file, line: 1),
                                message: "header lacks required column(s) \(report.missingRequired.joined(separator: ", ")); "
                                    + "expected \(mapping.columns.map(\.name).joined(separator: ", ")); "
                                    + "found \(header.joined(separator: ", "))")
            }
            if !report.unknown.isEmpty && mapping.driftPolicy.unknown == .fail {
                throw FeedError(kind: .schemaDrift, position: SourcePosition(file: file, line: 1),
                                message: "header has column(s) the mapping does not know: \(report.unknown.joined(separator: ", "))")
            }
        }
        headerReport = report
        slotToCell = slots
    }

    /// Whether a cell is empty or holds only tabs, space separators (Unicode category Zs)
    /// and U+200B: what `cell.trimmingCharacters(in: .whitespaces).isEmpty` tells on Linux
    /// (checked scalar by scalar), without bridging every cell to `NSString` (2 µs a cell).
    static func isBlank(_ cell: String) -> Bool {
        for s in cell.unicodeScalars {
            switch s.value {
            case 0x20, 0x09, 0x200B: continue
            case 0..<0x80: return false
            default: if s.properties.generalCategory != .spaceSeparator { return false }
            }
        }
        return true
    }

    /// Header cells compared without spaces, full-width forms folded (`经度（GCJ-02）` → `经度(GCJ-02)`).
    static func normaliseHeader(_ cell: String) -> String {
        TextNormalization.compact(cell).replacingOccurrences(of: "\u{FEFF}", with: "")
    }

    /// `经度(GCJ-02)` → `经度`: a qualifier in brackets does not change which column it is.
    static func stripBrackets(_ cell: String) -> String {
        guard let open = cell.firstIndex(where: { $0 == "(" || $0 == "[" }) else { return cell }
        return String(cell[..<open])
    }

    /// Maps one record.
    public func map(_ record: SourceRecord) -> MappedRecord {
        let view: RecordView
        switch record.content {
        case .row(let cells):
            if cells.allSatisfy(RecordMapper.isBlank) {
                return .skipped(reason: "empty row")
            }
            view = RecordView(cells: cells, slotToCell: slotToCell, tree: nil, scope: nil)
            if let reason = skipReason(cells, view) { return .skipped(reason: reason) }
        case .tree(let tree):
            view = RecordView(cells: nil, slotToCell: [], tree: tree, scope: nil)
            if let reason = skipReason(tree: view) { return .skipped(reason: reason) }
        }
        var findings: [Finding] = []
        var keyText: String?
        // The key first: without it there is no event.
        do {
            keyText = try mapping.eventRules[0].1.evaluate(view)?.text
        } catch {
            return .rejected(rejection(error, rule: mapping.eventRules[0].1, target: "key"))
        }
        guard let key = keyText else {
            return .rejected(RecordRejection(reason: .missingRequired, field: "key", message: "record key is empty"))
        }
        var draft = EventDraft(source: mapping.feed, sourceKey: key)
        var lng: Double?, lat: Double?, datum: Datum = .gcj02
        for (target, rule) in mapping.eventRules.dropFirst() {
            let value: MappedValue?
            do {
                value = try rule.evaluate(view) { finding in
                    findings.append(Finding(code: finding.reason.code, field: target.rawValue, message: finding.message, rawValue: finding.rawValue))
                }
            } catch {
                if rule.onError == .reject || error.reason == .missingRequired {
                    return .rejected(rejection(error, rule: rule, target: target.rawValue))
                }
                findings.append(Finding(code: error.reason.code, field: target.rawValue, message: error.message, rawValue: error.rawValue))
                continue
            }
            guard let value else { continue }
            switch target {
            case .key: break
            case .versionAt: draft.versionAt = value.timestamp
            case .reportedAt: draft.reportedAt = value.timestamp
            case .dispatchedAt: draft.dispatchedAt = value.timestamp
            case .closedAt: draft.closedAt = value.timestamp
            case .channel: draft.channel = value.text
            case .nature: draft.nature = value.text
            case .urgency: draft.urgency = value.text
            case .sourceCategory: draft.sourceCategory = value.text
            case .sourceCategoryCode: draft.sourceCategoryCode = value.text
            case .category: draft.category = value.text
            case .sourceStatus: draft.sourceStatus = value.text
            case .status:
                guard let s = value.text.flatMap(EventStatus.init(rawValue:)) else {
                    findings.append(Finding(code: RejectReason.unmappedValue.code, field: "status", message: "'\(value.text ?? "")' is not a unified status", rawValue: value.text))
                    continue
                }
                draft.status = s
            case .title: draft.title = value.text
            case .content: draft.content = value.text
            case .handlingUnit: draft.handlingUnit = value.text
            case .result: draft.result = value.text
            case .satisfaction: draft.satisfaction = value.text.flatMap(Satisfaction.init(rawValue:))
            case .isRepeat: draft.isRepeat = value.bool ?? false
            case .repeatOf: draft.repeatOf = value.text
            case .gridCode: draft.givenGridCode = value.text
            case .headcount:
                // A phone or ID number typed into the field parses as an integer, and a number is
                // stored where no text masking sees it: no count of people reaches six digits.
                if let n = value.integer, !(0...99_999).contains(n) {
                    findings.append(Finding(code: RejectReason.implausibleValue.code, field: "headcount",
                                            message: "a headcount of \(String(n).count) digits is not a number of people; dropped"))
                    continue
                }
                draft.headcount = value.integer
            case .selfResolved: draft.selfResolved = value.bool
            case .voided: draft.isVoided = value.bool ?? false
            case .placeAddress: draft.place.address = value.text
            case .placeDistrict: draft.place.district = value.text
            case .placeStreet: draft.place.street = value.text
            case .placeCommunity: draft.place.community = value.text
            case .placeLng: lng = value.number
            case .placeLat: lat = value.number
            case .placeDatum:
                if let d = value.text.flatMap(Datum.init(name:)) { datum = d } else {
                    findings.append(Finding(code: RejectReason.unmappedValue.code, field: "place.datum", message: "unknown coordinate system '\(value.text ?? "")'", rawValue: value.text))
                }
            }
        }
        if let lng, let lat {
            if (70...140).contains(lng) && (0...60).contains(lat) {
                draft.place.point = GeoPoint(lng: lng, lat: lat, datum: datum)
            } else {
                findings.append(Finding(code: RejectReason.invalidCoordinates.code, field: "place.lng",
                                        message: "(\(lng), \(lat)) lies outside China; coordinates dropped"))
            }
        }
        if draft.status == .withdrawn { draft.isVoided = true }
        if draft.isVoided { draft.status = .withdrawn }
        if draft.repeatOf != nil && !draft.isRepeat { draft.isRepeat = true }

        do {
            draft.parties = try parties(view, findings: &findings)
            draft.steps = try steps(view, findings: &findings)
        } catch let failure as GroupRejection {
            return .rejected(failure.rejection)
        } catch {
            return .rejected(RecordRejection(reason: .mappingError, field: nil, message: "\(error)"))
        }
        if mapping.sortSteps {
            draft.steps = draft.steps.enumerated().sorted { a, b in
                switch (a.element.at, b.element.at) {
                case let (x?, y?): return x == y ? a.offset < b.offset : x < y
                case (nil, nil): return a.offset < b.offset
                case (nil, _): return false
                case (_, nil): return true
                }
            }.map(\.element)
        }
        return .event(draft, findings: findings)
    }


    /// Why a row the reader rejected for its shape alone (`ragged_row`, `short_row`) is
    /// skipped instead: it is empty, or a skip rule recognises it (a footer `合计：1234条`
    /// is a short row). Nil when it stays a reject. Cells past the header's width are
    /// ignored; missing ones read as absent.
    public func skipReason(shapeReject bad: UnreadableRecord) -> String? {
        guard let cells = bad.cells else { return nil }
        if cells.allSatisfy(RecordMapper.isBlank) { return "empty row" }
        return skipReason(cells, RecordView(cells: cells, slotToCell: slotToCell, tree: nil, scope: nil))
    }

    /// The reason of the first skip rule whose path's value matches, for tree records.
    func skipReason(tree view: RecordView) -> String? {
        for rule in mapping.skipRows {
            guard let segments = rule.segments, let text = view.text(at: segments), RegexSafety.admits(text) else { continue }
            if rule.pattern.matches(TextNormalization.halfWidth(text)) { return rule.reason }
        }
        return nil
    }

    func skipReason(_ cells: [String], _ view: RecordView) -> String? {
        for rule in mapping.skipRows {
            let text: String?
            if let slot = rule.slot { text = view.cell(slot) } else {
                text = cells.first { !RecordMapper.isBlank($0) }
            }
            // A cell over the regex input bound is no footer, and never reaches a regex.
            if let text, RegexSafety.admits(text), rule.pattern.matches(TextNormalization.halfWidth(text)) { return rule.reason }
        }
        return nil
    }

    func rejection(_ failure: RuleFailure, rule: FieldRule, target: String) -> RecordRejection {
        RecordRejection(reason: failure.reason, field: failure.field ?? (rule.sourceName.isEmpty ? target : rule.sourceName),
                        message: "\(target): \(failure.message)", rawValue: failure.rawValue)
    }

    struct GroupRejection: Error { var rejection: RecordRejection }

    func groupItems<T>(_ group: Mapping.GroupSpec<T>, _ view: RecordView) -> [(RecordView, [(T, FieldRule)])] {
        switch group.each {
        case .once:
            return [(view, group.rules)]
        case .path(let segments):
            guard let tree = view.tree else { return [] }
            return RecordView.values(at: segments, in: tree).map {
                (RecordView(cells: nil, slotToCell: [], tree: tree, scope: $0), group.rules)
            }
        case .numbered(let range, let perN):
            return range.map { (view, perN[$0] ?? []) }
        }
    }

    /// The people's names a record holds, by the mapping's party name rules, whatever else in
    /// it fails: a rejected record's raw text shows them masked as names (`王**`), which the
    /// identifier masking alone would leave whole.
    public func personNames(in record: SourceRecord) -> [String] {
        let view: RecordView
        switch record.content {
        case .row(let cells): view = RecordView(cells: cells, slotToCell: slotToCell, tree: nil, scope: nil)
        case .tree(let tree): view = RecordView(cells: nil, slotToCell: [], tree: tree, scope: nil)
        }
        var names: [String] = []
        for group in mapping.partyGroups {
            for (itemView, rules) in groupItems(group, view) {
                for (target, rule) in rules where target == .name {
                    if let name = (try? rule.evaluate(itemView))?.text, !name.isEmpty, !names.contains(name) { names.append(name) }
                }
            }
        }
        return names
    }

    func parties(_ view: RecordView, findings: inout [Finding]) throws -> [PartyDraft] {
        var out: [PartyDraft] = []
        for group in mapping.partyGroups {
            for (itemView, rules) in groupItems(group, view) {
                var party = PartyDraft(role: group.role ?? "party")
                for (target, rule) in rules {
                    let value: MappedValue?
                    do { value = try rule.evaluate(itemView) } catch {
                        if rule.onError == .reject {
                            throw GroupRejection(rejection: rejection(error, rule: rule, target: "parties." + target.rawValue))
                        }
                        findings.append(Finding(code: error.reason.code, field: "parties." + target.rawValue, message: error.message,
                                                rawValue: target == .idNumber || target == .phone ? nil : error.rawValue))
                        continue
                    }
                    guard let value else { continue }
                    switch target {
                    case .role: if let t = value.text { party.role = t }
                    case .name: party.name = value.text
                    case .idNumber: if case .idNumber(let id) = value { party.idNumber = .init(id) }
                    case .phone: if case .phone(let p) = value { party.phone = .init(p) }
                    case .lead: party.isLead = value.bool ?? false
                    case .workerID: party.workerID = value.text
                    }
                }
                if !party.isEmpty { out.append(party) }
            }
        }
        return out
    }

    func steps(_ view: RecordView, findings: inout [Finding]) throws -> [StepDraft] {
        var out: [StepDraft] = []
        for group in mapping.stepGroups {
            for (itemView, rules) in groupItems(group, view) {
                var step = StepDraft(at: nil, action: "")
                var hasData = false
                for (target, rule) in rules {
                    let value: MappedValue?
                    do { value = try rule.evaluate(itemView) } catch {
                        if rule.onError == .reject {
                            throw GroupRejection(rejection: rejection(error, rule: rule, target: "steps." + target.rawValue))
                        }
                        findings.append(Finding(code: error.reason.code, field: "steps." + target.rawValue, message: error.message, rawValue: error.rawValue))
                        continue
                    }
                    guard let value else { continue }
                    switch target {
                    case .at: step.at = value.timestamp; hasData = true
                    case .action: step.action = value.text ?? ""
                    case .unit: step.unit = value.text
                    case .result: step.result = value.text; hasData = true
                    }
                    if target == .action, case .column = rule.source { hasData = true }
                    if target == .action, case .path = rule.source { hasData = true }
                }
                if hasData && !step.action.isEmpty { out.append(step) }
            }
        }
        return out
    }
}

extension MappedValue {
    var timestamp: Timestamp? { if case .timestamp(let t) = self { return t } else { return nil } }
    var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var integer: Int? {
        switch self {
        case .integer(let i): return i
        case .number(let d): return Int(exactly: d.rounded())
        default: return nil
        }
    }
    var number: Double? {
        switch self {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }
}
