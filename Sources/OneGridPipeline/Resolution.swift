import Foundation
import OneGridCodecs
import OneGridModel
import OneGridResolve
import OneGridWarehouse

/// The resolution stage as the pipeline runs it: the reference registers read once from
/// the warehouse into in-memory indexes (gazetteer, standard addresses, grid polygons),
/// and the person and incident linking rules the loader applies.
public final class Resolution: @unchecked Sendable {
    let resolver: PlaceResolver
    public private(set) var linkingRules: LinkingRules
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
        // Streamed from the warehouse in id order into the index, never held as a list; kept
        // beside the warehouse, so only the first process after the list changes builds it.
        // Read as inbox files are (regular files only, no link followed, a FIFO never waited
        // on, bounded), so a planted link or pipe costs a rebuild, never a hang or a leak.
        let file = store.addressIndexFile
        let addresses = try StandardAddressIndex.persisted(
            stored: file.map { file in { readIndexFile(file.path) } },
            store: file.flatMap { file in file.readOnly ? nil : { try? $0.write(to: URL(fileURLWithPath: file.path), options: .atomic) } },
            normalizer: normalizer, thresholds: settings.thresholds,
            addresses: { body in try store.withAddresses(body) })
        resolver = PlaceResolver(normalizer: normalizer, addresses: addresses,
                                 grids: GridIndex(boundaries: boundaries), registry: grids)
        registerSizes = (divisions.count, grids.count, boundaries.count, addresses.count)
        // Categories compatible by the taxonomy's declared pairs (written by the last import);
        // its class names are every report's wording, never a distinctive term.
        let categories = CategoryCompatibility(related: try store.relatedCategories())
        let incidentRule = IncidentLinkRule(windowDays: settings.incidentWindowDays, categories: categories,
                                            sameFeedNeedsSecondSignal: settings.sameFeedNeedsSecondSignal,
                                            nearDays: settings.incidentNearDays)
        let extractor = TermExtractor(extraStopPhrases: try store.categoryNames())
        linkingRules = LinkingRules(
            person: { keys, known in
                switch PersonLinkRule.decide(party: keys, candidates: known.map(PersonCandidate.init)) {
                case .link(let id, _): return id
                case .newPerson: return nil
                }
            },
            incident: { facts, known in
                let candidates = known.map { k in
                    IncidentCandidate(incidentID: k.id, place: k.placeKey, category: k.category,
                                      firstReportedAt: k.firstReport ?? Timestamp(seconds: 0),
                                      lastReportedAt: k.lastReport ?? Timestamp(seconds: 0),
                                      memberSourceKeys: k.isRepeatTarget ? Set([facts.repeatOf].compactMap { $0 }) : [],
                                      sources: k.sources, people: k.people.raisers, terms: DistinctiveTerms(stored: k.terms),
                                      recorders: k.people.recorders)
                }
                let event = IncidentEventFacts(sourceKey: facts.sourceKey, place: facts.placeKey,
                                               category: facts.category, reportedAt: facts.reportedAt, repeatOf: facts.repeatOf,
                                               source: facts.source, people: facts.people.raisers,
                                               terms: DistinctiveTerms(stored: facts.terms), recorders: facts.people.recorders)
                switch incidentRule.decide(event, candidates: candidates) {
                case let .join(id, evidence):
                    return IncidentLink(incidentID: id, rule: evidence.rule.rawValue, score: evidence.score,
                                        categoryRelation: evidence.category?.rawValue)
                case .newIncident: return nil
                }
            },
            incidentWindow: incidentRule.window,
            personAbsorbs: { keys, linked, known in
                PersonLinkRule.absorbed(party: keys, linkedTo: linked, candidates: known.map(PersonCandidate.init))
            })
        linkingRules.incidentTerms = { draft in
            let p = draft.place
            return extractor.terms(in: [draft.title, draft.content],
                                   excludingPlace: [p.address, p.district, p.street, p.community]).stored
        }
        linkingRules.mergedTerms = { DistinctiveTerms(stored: $0).union(DistinctiveTerms(stored: $1)).stored }
        linkingRules.incidentCategory = { categories.refined($0, with: $1) }
    }

    /// The place of a mapped event.
    public func place(for draft: EventDraft) -> ResolvedPlace {
        resolver.resolve(draft.place, givenGridCode: draft.givenGridCode)
    }
}

extension Set<String> {
    /// The tokens of the people who raised a matter (`IncidentFacts.people` without recorders).
    var raisers: Set<String> { filter { !$0.hasPrefix(IncidentFacts.recorderPrefix) } }

    /// The worker ids of the recorders among `IncidentFacts.people` (`FileLoad.raisers(of:)`).
    var recorders: Set<String> {
        Set(compactMap { $0.hasPrefix(IncidentFacts.recorderPrefix) ? String($0.dropFirst(IncidentFacts.recorderPrefix.count)) : nil })
    }
}

extension PersonCandidate {
    /// A person the warehouse holds, as the linking rule sees it.
    init(_ known: KnownPerson) {
        self.init(personID: known.id, keys: known.keys)
    }

}

/// Largest persisted address index read back (a city's is about 7 MB).
private let indexFileLimit = 1 << 30

/// The persisted index's bytes, or nil when missing, not a regular file or too large.
private func readIndexFile(_ path: String) -> Data? {
    guard let bytes = try? FileByteStream.prefix(of: path, count: indexFileLimit + 1), bytes.count <= indexFileLimit else {
        return nil
    }
    return Data(bytes)
}
