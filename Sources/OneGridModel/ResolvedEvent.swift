/// An event ready for the warehouse: the mapped draft, its place resolved, its people
/// reduced to tokens, its raw payload sealed, and where it came from.
public struct ResolvedEvent: Sendable {
    public var draft: EventDraft
    public var place: ResolvedPlace
    /// Tokens and masked forms of `draft.parties`, in the same order.
    public var people: [PersonKeys]
    public var position: SourcePosition
    /// A digest of the draft: equal digests mean nothing changed.
    public var contentHash: String
    /// The draft with its clear personal data, sealed (AES-GCM) for history and clear exports.
    public var sealedPayload: [UInt8]
    public var findings: [Finding]

    public init(draft: EventDraft, place: ResolvedPlace, people: [PersonKeys], position: SourcePosition,
                contentHash: String, sealedPayload: [UInt8], findings: [Finding]) {
        self.draft = draft
        self.place = place
        self.people = people
        self.position = position
        self.contentHash = contentHash
        self.sealedPayload = sealedPayload
        self.findings = findings
    }

    /// Orders versions of one source record: the version time, then the file's export date,
    /// then the content digest, so every replay picks the same current version.
    public static func versionRank(versionAt: Timestamp?, exportDate: String?, contentHash: String) -> String {
        let seconds = max(0, versionAt?.seconds ?? 0)
        let padded = String(repeating: "0", count: max(0, 12 - String(seconds).count)) + String(seconds)
        return padded + "|" + (exportDate ?? "00000000") + "|" + contentHash
    }
}

/// How loading one record changed the warehouse.
public enum LoadOutcome: String, Sendable, Hashable, Codable {
    /// A source key seen for the first time.
    case new
    /// A newer version replaced the current one (the old one stays in history).
    case updated
    /// The same version again, or an older one (kept in history, current untouched).
    case unchanged
}

/// The per-file reconciliation: read = new + updated + unchanged + rejected + skipped.
public struct FileCounts: Sendable, Hashable, Codable {
    public var read = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    public var skipped = 0
    public var findings = 0

    public init() {}

    public var reconciles: Bool { read == new + updated + unchanged + rejected + skipped }

    public mutating func count(_ outcome: LoadOutcome) {
        switch outcome {
        case .new: new += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        }
    }
}

/// What incident linking sees of an event.
public struct IncidentFacts: Sendable, Hashable {
    public var source: String
    public var sourceKey: String
    /// Where it happened (`ResolvedPlace.incidentPlaceKey`, else the standard address, else
    /// the compound); nil: no incident.
    public var placeKey: IncidentPlaceKey?
    public var category: String?
    public var reportedAt: Timestamp?
    public var repeatOf: String?
    /// Tokens of the people who raised it (callers, petitioners), never of the staff who
    /// recorded it: a grid worker appears on every matter of the grid.
    public var people: Set<String> = []
    /// The distinctive terms of its title and content, in their stored form
    /// (`LinkingRules.incidentTerms`).
    public var terms: String = ""

    public init(source: String, sourceKey: String, placeKey: IncidentPlaceKey?, category: String?, reportedAt: Timestamp?, repeatOf: String?) {
        self.source = source
        self.sourceKey = sourceKey
        self.placeKey = placeKey
        self.category = category
        self.reportedAt = reportedAt
        self.repeatOf = repeatOf
    }
}

/// An existing incident offered to the linking rule.
public struct KnownIncident: Sendable, Hashable {
    public var id: Int64
    public var placeKey: IncidentPlaceKey
    public var category: String?
    public var firstReport: Timestamp?
    public var lastReport: Timestamp?
    /// Whether the event's explicit repeat link names one of this incident's events.
    public var isRepeatTarget: Bool
    /// The feeds its events came from.
    public var sources: Set<String> = []
    /// The people who raised it (`IncidentFacts.people` of its events, bounded).
    public var people: Set<String> = []
    /// The distinctive terms of its events, in their stored form (bounded).
    public var terms: String = ""

    public init(id: Int64, placeKey: IncidentPlaceKey, category: String?, firstReport: Timestamp?, lastReport: Timestamp?, isRepeatTarget: Bool) {
        self.id = id
        self.placeKey = placeKey
        self.category = category
        self.firstReport = firstReport
        self.lastReport = lastReport
        self.isRepeatTarget = isRepeatTarget
    }
}

/// An existing person offered to the linking rule.
public struct KnownPerson: Sendable, Hashable {
    public var id: Int64
    public var keys: PersonKeys

    public init(id: Int64, keys: PersonKeys) {
        self.id = id
        self.keys = keys
    }
}

/// The incident an event joined and the evidence the rule joined it on, as the event row
/// stores it (`incident_rule`, `incident_score`, `incident_category`) for an analyst to audit.
public struct IncidentLink: Sendable, Hashable {
    public var incidentID: Int64
    /// The rule's name (`specific_place`, `same_person`, `close_text`, `explicit_repeat` …).
    public var rule: String
    /// 0…1, as the rule defines it.
    public var score: Double
    /// How the categories stood (`same_class`, `catch_all`, `related` …); nil when not looked at.
    public var categoryRelation: String?

    public init(incidentID: Int64, rule: String, score: Double, categoryRelation: String? = nil) {
        self.incidentID = incidentID
        self.rule = rule
        self.score = score
        self.categoryRelation = categoryRelation
    }
}

/// The linking rules the warehouse applies while loading (implemented in OneGridResolve).
public struct LinkingRules: Sendable {
    /// Picks the person a party is (nil: a new person).
    public var person: @Sendable (PersonKeys, [KnownPerson]) -> Int64?
    /// Picks the incident an event joins and why (nil: a new incident).
    public var incident: @Sendable (IncidentFacts, [KnownIncident]) -> IncidentLink?
    /// The distinctive terms of a report, in their stored form (space-separated); default none.
    public var incidentTerms: @Sendable (EventDraft) -> String = { _ in "" }
    /// An incident's stored terms with one more report's (bounded); default: their union.
    public var mergedTerms: @Sendable (String, String) -> String = { a, b in
        Set((a + " " + b).split(separator: " ")).sorted().joined(separator: " ")
    }
    /// The category an incident carries once an event of the second category joins it of the
    /// first; default: it keeps its own.
    public var incidentCategory: @Sendable (String?, String?) -> String? = { current, _ in current }
    /// How far back candidate incidents are looked for, in seconds.
    public var incidentWindow: Int64
    /// Given a party, the person it was linked to and the candidates, the other persons the
    /// party shows to be that same person (merged into it). Default: none.
    public var personAbsorbs: @Sendable (PersonKeys, Int64, [KnownPerson]) -> [Int64]

    public init(person: @escaping @Sendable (PersonKeys, [KnownPerson]) -> Int64?,
                incident: @escaping @Sendable (IncidentFacts, [KnownIncident]) -> IncidentLink?,
                incidentWindow: Int64,
                personAbsorbs: @escaping @Sendable (PersonKeys, Int64, [KnownPerson]) -> [Int64] = { _, _, _ in [] }) {
        self.person = person
        self.incident = incident
        self.incidentWindow = incidentWindow
        self.personAbsorbs = personAbsorbs
    }
}
