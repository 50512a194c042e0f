import OneGridModel

/// Where an incident or event happened, for linking: a standard address, a building of a
/// compound (every unit of it), or — for coarse addresses — the compound key (division +
/// compound).
public enum IncidentPlaceKey: Sendable, Hashable, Codable {
    case standardAddress(String)
    case compound(String)
    /// A building: its compound key (`<community>|<compound>`) and the building.
    case building(compound: String, building: String)

    /// Whether two events at these places may be about one matter: the same place, or a
    /// building and the compound it lies in (a record naming only the compound is coarse, not
    /// elsewhere). Two buildings of one compound are two places.
    public func relates(to other: IncidentPlaceKey) -> Bool {
        if self == other { return true }
        switch (self, other) {
        case let (.building(c, _), .compound(k)), let (.compound(k), .building(c, _)): return c == k
        default: return false
        }
    }

    /// The standard address id if there is one, else the compound key, else nil.
    public init?(standardAddressID: String?, compoundKey: String?) {
        if let id = standardAddressID { self = .standardAddress(id) }
        else if let key = compoundKey { self = .compound(key) }
        else { return nil }
    }
}

/// An open incident the event might belong to, as the warehouse holds it.
public struct IncidentCandidate: Sendable, Hashable {
    public var incidentID: String
    public var place: IncidentPlaceKey?
    /// Unified category code (`HB.01`, `CG.SR.YY`).
    public var category: String?
    public var firstReportedAt: Timestamp
    public var lastReportedAt: Timestamp
    /// Source keys of the events already in it.
    public var memberSourceKeys: Set<String>

    public init(incidentID: String, place: IncidentPlaceKey?, category: String?, firstReportedAt: Timestamp,
                lastReportedAt: Timestamp, memberSourceKeys: Set<String>) {
        self.incidentID = incidentID
        self.place = place
        self.category = category
        self.firstReportedAt = firstReportedAt
        self.lastReportedAt = lastReportedAt
        self.memberSourceKeys = memberSourceKeys
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

    public init(sourceKey: String, place: IncidentPlaceKey?, category: String?, reportedAt: Timestamp?, repeatOf: String? = nil) {
        self.sourceKey = sourceKey
        self.place = place
        self.category = category
        self.reportedAt = reportedAt
        self.repeatOf = repeatOf
    }
}

/// Why an event joined an incident.
public enum IncidentLinkReason: String, Sendable, Hashable, Codable {
    /// The event is already a member (a new version of a loaded record).
    case alreadyMember
    /// The event names an earlier source key of the incident as the one it repeats.
    case explicitRepeat
    /// Same place, related category, within the window.
    case samePlaceCategoryWindow
}

/// The outcome of `IncidentLinkRule.decide`.
public enum IncidentLinkDecision: Sendable, Hashable {
    case join(incidentID: String, by: IncidentLinkReason)
    case newIncident
}

/// Whether an event is one more report of a matter an existing incident already holds.
///
/// Rules, in order:
/// 1. An incident that already lists the event's source key keeps it (reloading is idempotent).
/// 2. An explicit repeat link — the event names an earlier source key that belongs to an
///    incident — always joins that incident, whatever the place, category or time.
/// 3. Otherwise the event joins an incident when all hold: related place keys (the same
///    standard address, the same building, the same compound key, or a building and its
///    compound — see `IncidentPlaceKey.relates`); related
///    categories (equal codes, or codes sharing their first two dot-separated levels,
///    domain.class: `HB.01.03` ~ `HB.01.07`; a missing category relates to nothing); and all
///    the incident's reports, the event's included, lying within one `window`
///    (`max(last, t) − min(first, t) ≤ window`: a late-loaded earlier report still joins, but
///    reports every few weeks never chain into one endless incident). Among several, the one
///    whose report span is nearest in time, then the lowest id.
/// 4. Else a new incident. An event with no place key or no report time only joins by rules 1–2.
public struct IncidentLinkRule: Sendable, Hashable {
    /// How far apart reports of one matter may be, in seconds (default 30 days).
    public var window: Int64

    public init(windowDays: Int = 30) {
        window = Int64(windowDays) * 86_400
    }

    /// Whether two unified category codes are related (same code, or same domain.class).
    public static func related(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        if a == b { return true }
        let x = a.split(separator: "."), y = b.split(separator: ".")
        return x.count >= 2 && y.count >= 2 && x[0] == y[0] && x[1] == y[1]
    }

    public func decide(_ event: IncidentEventFacts, candidates: [IncidentCandidate]) -> IncidentLinkDecision {
        let ordered = candidates.sorted { $0.incidentID < $1.incidentID }
        if let hit = ordered.first(where: { $0.memberSourceKeys.contains(event.sourceKey) }) {
            return .join(incidentID: hit.incidentID, by: .alreadyMember)
        }
        if let earlier = event.repeatOf, let hit = ordered.first(where: { $0.memberSourceKeys.contains(earlier) }) {
            return .join(incidentID: hit.incidentID, by: .explicitRepeat)
        }
        guard let place = event.place, let at = event.reportedAt?.seconds else { return .newIncident }
        var best: (distance: Int64, id: String)? = nil
        for c in ordered where c.place.map(place.relates) == true && IncidentLinkRule.related(event.category, c.category) {
            let first = c.firstReportedAt.seconds, last = c.lastReportedAt.seconds
            guard max(last, at) - min(first, at) <= window else { continue }
            let distance = at < first ? first - at : (at > last ? at - last : 0)
            if best == nil || distance < best!.distance { best = (distance, c.incidentID) }
        }
        if let best { return .join(incidentID: best.id, by: .samePlaceCategoryWindow) }
        return .newIncident
    }
}
