import Foundation
import OneGridResolve
import OneGridWarehouse

/// One record as `(feed, source key)`, the way the warehouse and the truth both name it.
public struct RecordKey: Sendable, Hashable, Codable {
    public var feed: String
    public var sourceKey: String

    public init(feed: String, sourceKey: String) {
        self.feed = feed
        self.sourceKey = sourceKey
    }
}

/// One party of one record: the record and the party's ordinal (from 1, in source order).
public struct PartyKey: Sendable, Hashable, Codable {
    public var record: RecordKey
    public var ordinal: Int

    public init(record: RecordKey, ordinal: Int) {
        self.record = record
        self.ordinal = ordinal
    }
}

/// A problem reading the ground truth: the file, the line (from 1) and what is wrong.
public enum TruthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is missing or unreadable.
    case unreadable(file: String)
    /// The header lacks a column the evaluation needs.
    case missingColumn(file: String, column: String)
    /// A line has fewer fields than the header.
    case shortLine(file: String, line: Int)

    public var description: String {
        switch self {
        case .unreadable(let file): return "\(file): cannot be read"
        case .missingColumn(let file, let column): return "\(file):1: header lacks column '\(column)'"
        case .shortLine(let file, let line): return "\(file):\(line): fewer fields than the header"
        }
    }
}

/// The ground truth of a sample (`truth/events.csv`, `truth/parties.csv`): the true grid,
/// incident and people of every record.
public struct ResolutionTruth: Sendable {
    /// The truth's feed names as the warehouse spells them (the generator writes `hotline`, the
    /// hotline mapping loads feed `hotline12345`); names not listed are the same in both.
    public static let defaultFeedNames = ["hotline": "hotline12345"]

    public var grids: [RecordKey: String?] = [:]
    public var incidents: [RecordKey: String] = [:]
    /// The true standard address of every record (what the warehouse should have matched).
    public var addresses: [RecordKey: String] = [:]
    public var people: [PartyKey: String] = [:]

    public init() {}

    /// Reads `events.csv` (`source,source_key,…,grid_code,incident_id`) and `parties.csv`
    /// (`source,source_key,…,ordinal,person_id`) from `directory`.
    public static func load(directory: String, feedNames: [String: String] = defaultFeedNames) throws -> ResolutionTruth {
        var truth = ResolutionTruth()
        try readCSV(directory + "/events.csv", columns: ["source", "source_key", "grid_code", "incident_id", "std_address_id"]) { f in
            let key = RecordKey(feed: feedNames[f[0]] ?? f[0], sourceKey: f[1])
            truth.grids[key] = f[2].isEmpty ? String?.none : f[2]
            truth.incidents[key] = f[3]
            truth.addresses[key] = f[4]
        }
        try readCSV(directory + "/parties.csv", columns: ["source", "source_key", "ordinal", "person_id"]) { f in
            let record = RecordKey(feed: feedNames[f[0]] ?? f[0], sourceKey: f[1])
            truth.people[PartyKey(record: record, ordinal: Int(f[2]) ?? 0)] = f[3]
        }
        return truth
    }

    /// Calls `row` with the named columns of every line (plain CSV: the truth has no quoted fields).
    static func readCSV(_ path: String, columns: [String], _ row: ([String]) -> Void) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw TruthError.unreadable(file: path) }
        let text = String(decoding: data, as: UTF8.self)
        var header: [Int]? = nil
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r\u{FEFF}")) }
            guard let index = header else {
                header = try columns.map { c in
                    guard let i = fields.firstIndex(of: c) else { throw TruthError.missingColumn(file: path, column: c) }
                    return i
                }
                continue
            }
            if fields.count == 1 && fields[0].isEmpty { continue }
            guard let last = index.max(), fields.count > last else { throw TruthError.shortLine(file: path, line: lineNumber) }
            row(index.map { fields[$0] })
        }
        if header == nil { throw TruthError.unreadable(file: path) }
    }
}

/// What the warehouse made of each record: its grid, incident and people.
public struct ObservedResolution: Sendable {
    public struct Event: Sendable, Hashable {
        public var gridCode: String?
        public var incidentID: Int64?
        /// Voided (作废 / 撤销) records are deliberately left out of incidents.
        public var isVoided: Bool
        /// What a miss is classed by (`IncidentMisses`).
        public var category: String?
        public var reportedAt: Int64?
        public var standardAddressID: String?
        public var incidentRule: String?

        public init(gridCode: String?, incidentID: Int64?, isVoided: Bool, category: String? = nil, reportedAt: Int64? = nil,
                    standardAddressID: String? = nil, incidentRule: String? = nil) {
            self.gridCode = gridCode
            self.incidentID = incidentID
            self.isVoided = isVoided
            self.category = category
            self.reportedAt = reportedAt
            self.standardAddressID = standardAddressID
            self.incidentRule = incidentRule
        }
    }

    public var events: [RecordKey: Event] = [:]
    public var people: [PartyKey: Int64?] = [:]

    public init() {}

    /// Reads the current state of every event and party.
    public static func read(_ warehouse: Warehouse) throws -> ObservedResolution {
        var out = ObservedResolution()
        try warehouse.forEachLink(event: { e in
            out.events[RecordKey(feed: e.source, sourceKey: e.sourceKey)] = Event(
                gridCode: e.gridCode, incidentID: e.incidentID, isVoided: e.isVoided, category: e.category,
                reportedAt: e.reportedAt, standardAddressID: e.standardAddressID, incidentRule: e.incidentRule)
        }, party: { p in
            out.people[PartyKey(record: RecordKey(feed: p.source, sourceKey: p.sourceKey), ordinal: p.ordinal)] = p.personID
        })
        return out
    }
}

/// How well the warehouse resolved places, people and incidents, against the ground truth.
///
/// Only records both hold are scored (a record the feed rejected is counted in
/// `eventsNotLoaded`). Place → grid: the share of events whose grid is the true one (an event
/// with no grid is wrong). People: pairwise over party mentions. Incidents: pairwise over
/// events, leaving out voided ones (the loader keeps them out of incidents by design).
public struct ResolutionEvaluation: Sendable, Hashable, Codable {
    public var truthEvents: Int
    public var eventsScored: Int
    public var eventsNotLoaded: Int
    public var gridCorrect: Int
    public var eventsWithoutGrid: Int
    public var person: PairwiseScore
    public var incident: PairwiseScore
    public var voidedLeftOut: Int
    /// gridCorrect / eventsScored.
    public var gridAccuracy: Double
    /// eventsWithoutGrid / eventsScored.
    public var noGridShare: Double

    public init(truth: ResolutionTruth, observed: ObservedResolution) {
        truthEvents = truth.grids.count
        var scored = 0, correct = 0, noGrid = 0, voided = 0
        var incidentItems: [(truth: String, predicted: Int64?)] = []
        for (key, trueGrid) in truth.grids {
            guard let e = observed.events[key] else { continue }
            scored += 1
            if e.gridCode == nil { noGrid += 1 }
            if let g = e.gridCode, g == trueGrid { correct += 1 }
            if e.isVoided { voided += 1; continue }
            if let incident = truth.incidents[key] { incidentItems.append((incident, e.incidentID)) }
        }
        eventsScored = scored
        eventsNotLoaded = truthEvents - scored
        gridCorrect = correct
        eventsWithoutGrid = noGrid
        voidedLeftOut = voided
        gridAccuracy = scored == 0 ? 0 : Double(correct) / Double(scored)
        noGridShare = scored == 0 ? 0 : Double(noGrid) / Double(scored)
        incident = PairwiseScore.score(incidentItems)
        var personItems: [(truth: String, predicted: Int64?)] = []
        for (key, person) in truth.people {
            guard let found = observed.people[key] else { continue }
            personItems.append((person, found))
        }
        self.person = PairwiseScore.score(personItems)
    }

    /// Reads the truth folder and the warehouse, and scores.
    public static func run(truthDirectory: String, warehouse: Warehouse,
                           feedNames: [String: String] = ResolutionTruth.defaultFeedNames) throws -> ResolutionEvaluation {
        ResolutionEvaluation(truth: try ResolutionTruth.load(directory: truthDirectory, feedNames: feedNames),
                             observed: try ObservedResolution.read(warehouse))
    }

    /// Opens the warehouse at `paths` (no key needed: only ids and grid codes are read) and scores.
    public static func run(truthDirectory: String, paths: WorkspacePaths) throws -> ResolutionEvaluation {
        try run(truthDirectory: truthDirectory, warehouse: try Warehouse(path: paths.warehouse, create: false))
    }

    /// The report for a terminal.
    public var text: String {
        func pct(_ x: Double) -> String { String(format: "%.2f %%", x * 100) }
        func pairwise(_ s: PairwiseScore) -> String {
            String(format: "precision %.4f  recall %.4f  F1 %.4f", s.precision, s.recall, s.f1)
                + "  (\(s.items) items; pairs: \(s.truePairs) true, \(s.predictedPairs) predicted, \(s.sharedPairs) shared)"
        }
        return """
            events: \(truthEvents) in the truth, \(eventsScored) scored, \(eventsNotLoaded) not in the warehouse
            place → grid accuracy: \(pct(gridAccuracy)) (\(gridCorrect) of \(eventsScored))
            events with no grid:   \(pct(noGridShare)) (\(eventsWithoutGrid))
            person linking:        \(pairwise(person))
            incident clustering:   \(pairwise(incident)); \(voidedLeftOut) voided events left out
            """
    }
}

/// One scored set with the name it is reported under (`tuned`, `held-out`), so one command
/// reports the set the rules were tuned on beside the sets they never saw.
public struct LabelledEvaluation: Sendable, Hashable, Codable {
    public var label: String
    public var evaluation: ResolutionEvaluation

    public init(label: String, evaluation: ResolutionEvaluation) {
        self.label = label
        self.evaluation = evaluation
    }

    /// The sets' reports one after another, each under its label.
    public static func text(_ sets: [LabelledEvaluation]) -> String {
        sets.map { "== \($0.label) ==\n" + $0.evaluation.text }.joined(separator: "\n")
    }
}

/// The incident pairs clustering got wrong, counted by class, so misses are looked at by kind
/// before any rule is changed (issue #14): a true pair left apart is classed by how the two
/// events' categories stand (`CategoryRelation`), one feed or two, whether the warehouse
/// matched them to one standard address, and the time between them; a wrong pair by the rule
/// that joined the later event, the categories, the feeds, whether the truth puts them at one
/// address, and the time. Pairs, not events: an incident of n reports holds n(n−1)/2.
public struct IncidentMisses: Sendable, Hashable, Codable {
    /// True pairs left apart, by class (`relation · feeds · place · gap`).
    public var missed: [String: Int] = [:]
    /// Pairs joined that the truth keeps apart, by class (`rule · relation · feeds · truth place · gap`).
    public var wrong: [String: Int] = [:]

    public init(truth: ResolutionTruth, observed: ObservedResolution, categories: CategoryCompatibility = CategoryCompatibility()) {
        var byTruth: [String: [(RecordKey, ObservedResolution.Event)]] = [:]
        var byPredicted: [Int64: [(RecordKey, ObservedResolution.Event)]] = [:]
        for (key, incident) in truth.incidents {
            guard let e = observed.events[key], !e.isVoided else { continue }
            byTruth[incident, default: []].append((key, e))
            if let id = e.incidentID { byPredicted[id, default: []].append((key, e)) }
        }
        func gap(_ a: ObservedResolution.Event, _ b: ObservedResolution.Event) -> String {
            guard let x = a.reportedAt, let y = b.reportedAt else { return "time unknown" }
            let hours = abs(x - y) / 3600
            return hours < 12 ? "< 12 h" : hours < 72 ? "< 3 days" : hours < 240 ? "< 10 days" : "≥ 10 days"
        }
        func feeds(_ a: RecordKey, _ b: RecordKey) -> String { a.feed == b.feed ? "one feed" : "two feeds" }
        func pairs(_ members: [(RecordKey, ObservedResolution.Event)], _ body: ((RecordKey, ObservedResolution.Event), (RecordKey, ObservedResolution.Event)) -> Void) {
            let sorted = members.sorted { ($0.1.reportedAt ?? 0, $0.0.sourceKey) < ($1.1.reportedAt ?? 0, $1.0.sourceKey) }
            for i in sorted.indices { for j in sorted.indices where j > i { body(sorted[i], sorted[j]) } }
        }
        for members in byTruth.values {
            pairs(members) { a, b in
                if let x = a.1.incidentID, x == b.1.incidentID { return }
                let place: String
                if let x = a.1.standardAddressID, x == b.1.standardAddressID { place = "one standard address" }
                else if a.1.standardAddressID != nil, b.1.standardAddressID != nil { place = "two standard addresses" }
                else { place = "no standard address" }
                let relation = categories.relation(a.1.category, b.1.category).rawValue
                missed[[relation, feeds(a.0, b.0), place, gap(a.1, b.1)].joined(separator: " · "), default: 0] += 1
            }
        }
        for members in byPredicted.values {
            pairs(members) { a, b in
                guard truth.incidents[a.0] != truth.incidents[b.0] else { return }
                let rule = b.1.incidentRule ?? a.1.incidentRule ?? "founding"
                let place = truth.addresses[a.0] == truth.addresses[b.0] ? "one true address" : "two true addresses"
                let relation = categories.relation(a.1.category, b.1.category).rawValue
                wrong[[rule, relation, feeds(a.0, b.0), place, gap(a.1, b.1)].joined(separator: " · "), default: 0] += 1
            }
        }
    }

    /// The classes, most pairs first.
    public var text: String {
        func lines(_ counts: [String: Int]) -> String {
            counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "  \($0.value)\t\($0.key)" }.joined(separator: "\n")
        }
        return "true pairs left apart: \(missed.values.reduce(0, +))  (category · feeds · place · time apart)\n" + lines(missed)
            + "\npairs joined wrongly: \(wrong.values.reduce(0, +))  (rule · category · feeds · true place · time apart)\n" + lines(wrong)
    }

    /// Reads the truth folder and the warehouse (the taxonomy's related pairs included) and classes the misses.
    public static func run(truthDirectory: String, paths: WorkspacePaths,
                           feedNames: [String: String] = ResolutionTruth.defaultFeedNames) throws -> IncidentMisses {
        let warehouse = try Warehouse(path: paths.warehouse, create: false)
        let categories = CategoryCompatibility(related: try ReferenceStore(warehouse: warehouse).relatedCategories())
        return IncidentMisses(truth: try ResolutionTruth.load(directory: truthDirectory, feedNames: feedNames),
                              observed: try ObservedResolution.read(warehouse), categories: categories)
    }
}
