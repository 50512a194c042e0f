import OneGridModel

extension IncidentPlaceKey {
    /// Whether the key names a specific place — a standard address, a building, or a door
    /// number (`<division>|延安路18号`) — rather than a coarse one: a compound, a road, or a
    /// remainder the register does not know. Two reports at a coarse place are often two
    /// matters (the compound has hundreds of households), so joining them needs a second signal.
    public var isSpecific: Bool {
        switch self {
        case .standardAddress, .building: return true
        case .compound(let key):
            // The record's own compound key is `<division>|<compound, else road+number, else remainder>`.
            let part = key.split(separator: "|", omittingEmptySubsequences: false).last ?? ""
            return part.hasSuffix("号") && part.contains(where: \.isNumber)
        }
    }
}

/// An open incident the event might belong to, as the warehouse holds it.
public struct IncidentCandidate: Sendable, Hashable {
    public var incidentID: Int64
    public var place: IncidentPlaceKey?
    /// Unified category code (`HB.01`, `CG.SR.YY`).
    public var category: String?
    public var firstReportedAt: Timestamp
    public var lastReportedAt: Timestamp
    /// Source keys of the events already in it.
    public var memberSourceKeys: Set<String>
    /// The feeds its events came from (`incident.sources`); empty when not known.
    public var sources: Set<String>
    /// The people who raised it (callers, petitioners: person ids or tokens — never the
    /// grid worker or official who recorded it, who appears on every matter of a grid).
    public var people: Set<String>
    /// The distinctive terms of its reports' titles and contents (the union, bounded).
    public var terms: DistinctiveTerms
    /// The grid workers or inspectors who recorded its reports (roster worker ids).
    public var recorders: Set<String>

    public init(incidentID: Int64, place: IncidentPlaceKey?, category: String?, firstReportedAt: Timestamp,
                lastReportedAt: Timestamp, memberSourceKeys: Set<String>, sources: Set<String> = [],
                people: Set<String> = [], terms: DistinctiveTerms = DistinctiveTerms(), recorders: Set<String> = []) {
        self.incidentID = incidentID
        self.place = place
        self.category = category
        self.firstReportedAt = firstReportedAt
        self.lastReportedAt = lastReportedAt
        self.memberSourceKeys = memberSourceKeys
        self.sources = sources
        self.people = people
        self.terms = terms
        self.recorders = recorders
    }
}

/// The facts of one event that linking looks at.
public struct IncidentEventFacts: Sendable, Hashable {
    public var sourceKey: String
    public var place: IncidentPlaceKey?
    public var category: String?
    public var reportedAt: Timestamp?
    /// The earlier source key the event says it repeats (重复件), if any.
    public var repeatOf: String?
    /// The feed the event came from; nil when not known (then no join counts as within-feed).
    public var source: String?
    /// The people who raised it, as `IncidentCandidate.people` holds them.
    public var people: Set<String>
    /// The distinctive terms of its title and content (`TermExtractor`).
    public var terms: DistinctiveTerms
    /// The grid worker or inspector who recorded it (roster worker ids), as `IncidentCandidate.recorders`.
    public var recorders: Set<String>

    public init(sourceKey: String, place: IncidentPlaceKey?, category: String?, reportedAt: Timestamp?,
                repeatOf: String? = nil, source: String? = nil, people: Set<String> = [],
                terms: DistinctiveTerms = DistinctiveTerms(), recorders: Set<String> = []) {
        self.sourceKey = sourceKey
        self.place = place
        self.category = category
        self.reportedAt = reportedAt
        self.repeatOf = repeatOf
        self.source = source
        self.people = people
        self.terms = terms
        self.recorders = recorders
    }
}

/// The rule that joined an event to an incident (stored per link, shown by `export incidents`).
public enum IncidentLinkReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The event is already a member (a new version of a loaded record).
    case alreadyMember = "already_member"
    /// The event names an earlier source key of the incident as the one it repeats.
    case explicitRepeat = "explicit_repeat"
    /// A specific place (standard address, building, door number) shared with a report of
    /// another feed, compatible categories, within the window.
    case specificPlace = "specific_place"
    /// Related places and the same person raising it, within the window.
    case samePerson = "same_person"
    /// Related places and shared distinctive terms in the texts, within the window.
    case closeText = "close_text"
    /// The same class at related places, reported within `IncidentLinkRule.near` of the
    /// incident: by another feed at any related place, by the same feed at one specific place
    /// (a repeat call without its repeat link). The weakest evidence, taken last.
    case nearInTime = "near_in_time"
    /// The rule before #14 (`IncidentLinkRule.placeAndClass`): related places, the same
    /// domain.class, within the window — kept only until the pipeline supplies feeds, people
    /// and terms.
    case placeAndClass = "place_and_class"
}

/// Why an event joined an incident: the rule, how strong its signal was, and how the
/// categories stood.
public struct IncidentLinkEvidence: Sendable, Hashable, Codable {
    public var rule: IncidentLinkReason
    /// 0…1. `specificPlace` and `samePerson`: the category relation's score (1 the same class);
    /// `closeText`: the shared term weight over the smaller side's (the overlap coefficient);
    /// `nearInTime`: 1 − the time to the incident's nearest report over `near`;
    /// `alreadyMember`, `explicitRepeat`: 1.
    public var score: Double
    /// How the categories stood; nil for members and explicit repeats (not looked at).
    public var category: CategoryRelation?

    public init(rule: IncidentLinkReason, score: Double, category: CategoryRelation? = nil) {
        self.rule = rule
        self.score = score
        self.category = category
    }
}

/// The outcome of `IncidentLinkRule.decide`.
public enum IncidentLinkDecision: Sendable, Hashable {
    case join(incidentID: Int64, evidence: IncidentLinkEvidence)
    case newIncident
}

/// Whether an event is one more report of a matter an existing incident already holds.
///
/// Rules, in order:
/// 1. An incident that already lists the event's source key keeps it (reloading is idempotent).
/// 2. An explicit repeat link — the event names an earlier source key that belongs to an
///    incident — always joins that incident, whatever the place, category or time.
/// 3. Otherwise a candidate qualifies when all hold: related place keys
///    (`IncidentPlaceKey.relates`); all the incident's reports, the event's included, within
///    one `window` (`max(last, t) − min(first, t) ≤ window`: a late-loaded earlier report still
///    joins, but reports every few weeks never chain into one endless incident); categories
///    not incompatible (`CategoryCompatibility`); and evidence, one of:
///    - **specific place**: both keys specific (`IncidentPlaceKey.isSpecific`) and equal, the
///      categories compatible, and the incident holding a report of another feed — two
///      reports of one feed at one address are a feed's own neighbours, the main false merges;
///    - **same person**: a person raising both (`people` intersect);
///    - **close text**: shared distinctive terms weighing at least `closeTextWeight`.
///    - **near in time**: the same class, and the event within `near` (default 3 days) of
///      the incident's nearest report; from another feed at any related place, from the
///      same feed only at one specific place.
///    A coarse place (compound, road) or a same-feed pair needs a person, close text or
///    nearness in time; an unknown category on either side needs a specific place *and* a
///    person or close text. Among several, the one at the event's own specific place; then
///    the one with a person or close text, then a specific place, then nearness; then the
///    closer categories, then the report span nearest in time, then the lowest id.
/// 4. Else a new incident. An event with no place key or no report time only joins by rules 1–2.
///
/// Candidates come from blocking by place and window (the warehouse's index), never all pairs.
public struct IncidentLinkRule: Sendable, Hashable {
    /// How far apart reports of one matter may be, in seconds (default 30 days).
    public var window: Int64
    /// Which categories may be one matter.
    public var categories: CategoryCompatibility
    /// The shared term weight that makes two texts close (default 2: one shop or company
    /// name, amount or plate, or four bigrams of free text — see `DistinctiveTerms.weight`).
    public var closeTextWeight: Double
    /// Whether two reports of one feed need a second signal even at one specific place
    /// (default true: a feed's own neighbours joined on place alone were the main false
    /// merges on data from outside the project; false trades that precision for recall on
    /// feeds whose repeat calls carry no repeat link — see the README's figures).
    public var sameFeedNeedsSecondSignal: Bool
    /// Whether joins need evidence (the rules above) or only place and class (`placeAndClass`).
    public var requiresEvidence: Bool
    /// How close in time (seconds) a report of the same class must be to the incident's
    /// nearest report for `nearInTime` (default 3 days; 0: never). Repeat calls and another
    /// department's ticket about one matter come within days; the place-alone joins that were
    /// wrong on outside data spanned the whole 30-day window.
    public var near: Int64

    /// The evidence rule. `categories` is required so that this is never mistaken for the
    /// old rule: pass `CategoryCompatibility(related:)` built from the taxonomy.
    public init(windowDays: Int = 30, categories: CategoryCompatibility, closeTextWeight: Double = 2,
                sameFeedNeedsSecondSignal: Bool = true, nearDays: Int = 3) {
        window = Int64(windowDays) * 86_400
        near = Int64(nearDays) * 86_400
        self.categories = categories
        self.closeTextWeight = closeTextWeight
        self.sameFeedNeedsSecondSignal = sameFeedNeedsSecondSignal
        requiresEvidence = true
    }

    /// The rule before #14, for callers not yet passing feeds, people and terms: related
    /// places, the same domain.class (`related`), within the window; a missing category joins
    /// nothing. Its place-alone joins of coarse places and of a feed's own neighbours were
    /// the main false merges on data from outside the project: move to
    /// `init(windowDays:categories:…)`.
    public static func placeAndClass(windowDays: Int = 30) -> IncidentLinkRule {
        var rule = IncidentLinkRule(windowDays: windowDays, categories: CategoryCompatibility())
        rule.requiresEvidence = false
        rule.near = 0
        return rule
    }

    /// Same as `placeAndClass(windowDays:)`: the call the pipeline makes today.
    public init(windowDays: Int = 30) {
        self = .placeAndClass(windowDays: windowDays)
    }

    /// Whether two unified category codes are the same class (same code, or same
    /// domain.class: `HB.01.03` ~ `HB.01.07`). The join rule uses `categories`, which is looser.
    public static func related(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        if a == b { return true }
        guard let x = CategoryCompatibility.parse(a)?.classCode else { return false }
        return x == CategoryCompatibility.parse(b)?.classCode
    }

    public func decide(_ event: IncidentEventFacts, candidates: [IncidentCandidate]) -> IncidentLinkDecision {
        let ordered = candidates.sorted { $0.incidentID < $1.incidentID }
        if let hit = ordered.first(where: { $0.memberSourceKeys.contains(event.sourceKey) }) {
            return .join(incidentID: hit.incidentID, evidence: IncidentLinkEvidence(rule: .alreadyMember, score: 1))
        }
        if let earlier = event.repeatOf, let hit = ordered.first(where: { $0.memberSourceKeys.contains(earlier) }) {
            return .join(incidentID: hit.incidentID, evidence: IncidentLinkEvidence(rule: .explicitRepeat, score: 1))
        }
        guard let place = event.place, let at = event.reportedAt?.seconds else { return .newIncident }
        var best: (rank: Rank, id: Int64, evidence: IncidentLinkEvidence)? = nil
        for c in ordered {
            guard let theirs = c.place, place.relates(to: theirs) else { continue }
            let first = c.firstReportedAt.seconds, last = c.lastReportedAt.seconds
            guard max(last, at) - min(first, at) <= window else { continue }
            let distance = at < first ? first - at : (at > last ? at - last : 0)
            guard let evidence = evidence(event, place: place, c, theirs, distance: distance) else { continue }
            let rank = Rank(samePlace: place == theirs && place.isSpecific, strength: Rank.strength(of: evidence.rule),
                            category: evidence.category?.score ?? 0, distance: distance)
            if best == nil || rank.isBetter(than: best!.rank) { best = (rank, c.incidentID, evidence) }
        }
        if let best { return .join(incidentID: best.id, evidence: best.evidence) }
        return .newIncident
    }

    /// The evidence joining the event to a candidate at a related place within the window, or nil.
    func evidence(_ event: IncidentEventFacts, place: IncidentPlaceKey, _ c: IncidentCandidate,
                  _ theirs: IncidentPlaceKey, distance: Int64) -> IncidentLinkEvidence? {
        let relation = categories.relation(event.category, c.category)
        guard requiresEvidence else {
            guard IncidentLinkRule.related(event.category, c.category) else { return nil }
            return IncidentLinkEvidence(rule: .placeAndClass, score: relation.score, category: relation)
        }
        guard relation != .incompatible else { return nil }
        let specific = place == theirs && place.isSpecific
        let sameFeed = event.source.map { !c.sources.isEmpty && c.sources == [$0] } ?? false
        let sameFeedOnly = sameFeedNeedsSecondSignal && sameFeed

        var signal: IncidentLinkEvidence? = nil
        if !event.people.isDisjoint(with: c.people) {
            signal = IncidentLinkEvidence(rule: .samePerson, score: relation.score, category: relation)
        } else {
            let shared = event.terms.sharedWeight(with: c.terms)
            if shared >= closeTextWeight {
                let smaller = min(event.terms.totalWeight, c.terms.totalWeight)
                signal = IncidentLinkEvidence(rule: .closeText, score: min(1, shared / max(smaller, shared)), category: relation)
            }
        }
        let isNear = near > 0 && distance <= near
        let nearness = isNear ? 1 - Double(distance) / Double(near) : 0
        // No category says whether it is the same matter: one specific place and a person or
        // close text must. (Nearness in time alone joined other matters at one address.)
        if relation == .unknown { return specific ? signal : nil }
        if let signal { return signal }
        if specific, !sameFeedOnly {
            return IncidentLinkEvidence(rule: .specificPlace, score: relation.score, category: relation)
        }
        // A grid worker who reports one class at one compound again within days is following
        // up the matter, not finding another: within one feed the recorder is the second signal.
        let sameRecorder = !event.recorders.isDisjoint(with: c.recorders)
        if relation == .sameClass || relation == .coarser, isNear, !sameFeed || specific || sameRecorder {
            return IncidentLinkEvidence(rule: .nearInTime, score: nearness * relation.score, category: relation)
        }
        return nil
    }

    /// How one qualifying candidate compares with another.
    struct Rank {
        /// The event's own specific place (not a compound beside a building, nor another
        /// building's): a report at the address itself is the better home than a matter nearby
        /// that only shares words with it.
        var samePlace: Bool
        var strength: Int
        var category: Double
        var distance: Int64

        /// A person or close text over a specific place over nearness in time.
        static func strength(of rule: IncidentLinkReason) -> Int {
            switch rule {
            case .nearInTime: return 0
            case .specificPlace, .placeAndClass: return 1
            case .samePerson, .closeText, .explicitRepeat, .alreadyMember: return 2
            }
        }

        func isBetter(than other: Rank) -> Bool {
            if samePlace != other.samePlace { return samePlace }
            if strength != other.strength { return strength > other.strength }
            if category != other.category { return category > other.category }
            return distance < other.distance
        }
    }
}
