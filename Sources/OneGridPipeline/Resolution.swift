import Foundation
import OneGridModel
import OneGridResolve
import OneGridWarehouse

/// The resolution stage as the pipeline runs it: the reference registers read once from
/// the warehouse into in-memory indexes (gazetteer, standard addresses, grid polygons),
/// and the person and incident linking rules the loader applies.
public final class Resolution: @unchecked Sendable {
    let resolver: PlaceResolver
    public let linkingRules: LinkingRules
    /// Counts of the registers the indexes were built from.
    public let registerSizes: (divisions: Int, grids: Int, boundaries: Int, addresses: Int)

    /// Builds the indexes from the warehouse's reference tables; `settings` nil reads them
    /// from the environment (see `ResolutionSettings`).
    public init(warehouse: Warehouse, settings: ResolutionSettings? = nil) throws {
        let settings = try settings ?? ResolutionSettings(environment: ProcessInfo.processInfo.environment)
        let store = ReferenceStore(warehouse: warehouse)
        let divisions = try store.divisions()
        let grids = try store.grids()
        let boundaries = try store.boundaries()
        let gazetteer = Gazetteer(divisions: divisions)
        let normalizer = AddressNormalizer(gazetteer: gazetteer)
        // Streamed from the warehouse in id order into the index, never held as a list.
        let addresses = try store.withAddresses { next in
            try StandardAddressIndex(normalizer: normalizer, thresholds: settings.thresholds, next: next)
        }
        resolver = PlaceResolver(normalizer: normalizer, addresses: addresses,
                                 grids: GridIndex(boundaries: boundaries), registry: grids)
        registerSizes = (divisions.count, grids.count, boundaries.count, addresses.count)
        let incidentRule = IncidentLinkRule(windowDays: settings.incidentWindowDays)
        linkingRules = LinkingRules(
            person: { keys, known in
                let candidates = known.map { PersonCandidate(personID: Self.personKey($0.id), keys: $0.keys) }
                switch PersonLinkRule.decide(party: keys, candidates: candidates) {
                case .link(let id, _): return Int64(id)
                case .newPerson: return nil
                }
            },
            incident: { facts, known in
                let candidates = known.map { k in
                    IncidentCandidate(incidentID: Self.personKey(k.id),
                                      place: Self.placeKey(k.placeKey), category: k.category,
                                      firstReportedAt: k.firstReport ?? Timestamp(seconds: 0),
                                      lastReportedAt: k.lastReport ?? Timestamp(seconds: 0),
                                      memberSourceKeys: k.isRepeatTarget ? Set([facts.repeatOf].compactMap { $0 }) : [])
                }
                let event = IncidentEventFacts(sourceKey: facts.sourceKey, place: facts.placeKey.flatMap(Self.placeKey),
                                               category: facts.category, reportedAt: facts.reportedAt, repeatOf: facts.repeatOf)
                switch incidentRule.decide(event, candidates: candidates) {
                case .join(let id, _): return Int64(id)
                case .newIncident: return nil
                }
            },
            incidentWindow: incidentRule.window,
            personAbsorbs: { keys, linked, known in
                let candidates = known.map { PersonCandidate(personID: Self.personKey($0.id), keys: $0.keys) }
                return PersonLinkRule.absorbed(party: keys, linkedTo: Self.personKey(linked), candidates: candidates)
                    .compactMap { Int64($0) }
            })
    }

    /// Zero-padded so that the rules' "lowest id" tie-break is numeric.
    static func personKey(_ id: Int64) -> String {
        let s = String(id)
        return String(repeating: "0", count: max(0, 12 - s.count)) + s
    }

    /// The incident place key of a stored `incident.place_key` (`std:`, `building:`, `compound:`).
    static func placeKey(_ stored: String) -> IncidentPlaceKey? {
        if stored.hasPrefix("std:") { return IncidentPlaceKey(standardAddressID: String(stored.dropFirst(4)), compoundKey: nil) }
        if stored.hasPrefix("building:"), let bar = stored.lastIndex(of: "|") {
            let compound = stored[stored.index(stored.startIndex, offsetBy: 9)..<bar]
            return .building(compound: String(compound), building: String(stored[stored.index(after: bar)...]))
        }
        if stored.hasPrefix("compound:") { return IncidentPlaceKey(standardAddressID: nil, compoundKey: String(stored.dropFirst(9))) }
        return IncidentPlaceKey(standardAddressID: nil, compoundKey: stored)
    }

    /// The place of a mapped event.
    public func place(for draft: EventDraft) -> ResolvedPlace {
        resolver.resolve(draft.place, givenGridCode: draft.givenGridCode)
    }
}
