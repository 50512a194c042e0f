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

/// The linking rules the warehouse applies while loading (implemented in OneGridResolve).
public struct LinkingRules: Sendable {
    /// Picks the person a party is (nil: a new person).
    public var person: @Sendable (PersonKeys, [KnownPerson]) -> Int64?
    /// Picks the incident an event joins (nil: a new incident).
    public var incident: @Sendable (IncidentFacts, [KnownIncident]) -> Int64?
    /// How far back candidate incidents are looked for, in seconds.
    public var incidentWindow: Int64
    /// Given a party, the person it was linked to and the candidates, the other persons the
    /// party shows to be that same person (merged into it). Default: none.
    public var personAbsorbs: @Sendable (PersonKeys, Int64, [KnownPerson]) -> [Int64]

    public init(person: @escaping @Sendable (PersonKeys, [KnownPerson]) -> Int64?,
                incident: @escaping @Sendable (IncidentFacts, [KnownIncident]) -> Int64?,
                incidentWindow: Int64,
                personAbsorbs: @escaping @Sendable (PersonKeys, Int64, [KnownPerson]) -> [Int64] = { _, _, _ in [] }) {
        self.person = person
        self.incident = incident
        self.incidentWindow = incidentWindow
        self.personAbsorbs = personAbsorbs
    }
}
