import Foundation
import OneGridModel

/// The parts of a matched standard address that resolution uses: its id, grid and point.
/// (The index keeps only these, so a city's list fits in a few tens of megabytes.)
public struct MatchedAddress: Sendable, Hashable {
    public var id: String
    public var gridCode: String?
    public var location: Coordinate?

    public init(id: String, gridCode: String?, location: Coordinate?) {
        self.id = id
        self.gridCode = gridCode
        self.location = location
    }
}

/// What the standard address list made of an address.
public struct AddressMatch: Sendable, Hashable {
    /// The standard address matched.
    public var address: MatchedAddress
    /// `.exact` (same key) or `.fuzzy` (scored within a block).
    public var method: PlaceMatchMethod
    /// 1 for exact; the fuzzy score otherwise (0…1).
    public var score: Double
    /// `<community>|<compound>` of the standard address, when it lies in a compound.
    public var compoundKey: String?
    /// `<community>|<compound>|<building>`, when it also names a building: what all units of
    /// one building share.
    public var buildingKey: String?
    /// Whether the address named no division and was found city-wide, its compound or road
    /// name being unique in the city's list.
    public var isCityWide: Bool
    /// Whether the record's coordinates chose this address among equally good ones.
    public var byCoordinates: Bool

    public init(address: MatchedAddress, method: PlaceMatchMethod, score: Double, compoundKey: String? = nil,
                buildingKey: String? = nil, isCityWide: Bool = false, byCoordinates: Bool = false) {
        self.address = address
        self.method = method
        self.score = score
        self.compoundKey = compoundKey
        self.buildingKey = buildingKey
        self.isCityWide = isCityWide
        self.byCoordinates = byCoordinates
    }
}

/// The standard address list (标准地址库) prepared for matching.
///
/// Each standard address is normalised once, in the community its grid code names (the first
/// 12 digits), with its component fields filling what its text leaves out. It is then
/// indexed by exact key at community, street and district level — with and without its
/// road+number when it also has a compound, since residents name one or the other — and put
/// in blocks by community, by street, and by district + compound name and district + road.
///
/// `match` tries the exact key in the record's most specific division, then scores the
/// candidates of one block: the community, else the street (from the text, else the hint),
/// else the district's addresses with the same compound or road. It never scans the city.
///
/// A record that names no division at all (学府花园三栋) is looked up city-wide by its compound
/// name, else its road: only when that name lies in one community (a compound) or one
/// district (a road) of the whole list; a name found in several places matches nothing.
///
/// Equally good candidates in different grids (one road and number in two communities) are
/// told apart by the record's point when it has one: the nearest within
/// `MatchThresholds.tieBreakMeters` wins (`byCoordinates`); without a point the lowest id
/// stands, as a fuzzy match at `ambiguousExactScore` for an exact key (city-wide: no match).
///
/// Components are kept as interned integers and compound names as prepared bigrams, so a
/// block of thousands of candidates scores in microseconds and the index of a city's list
/// stays small; exact keys are 64-bit FNV-1a hashes of the component key.
public struct StandardAddressIndex: Sendable {
    /// What matching reads of one standard address: ids into `names` (`absent` when the
    /// component is missing).
    struct Candidate: Sendable, Equatable {
        var community: Int32, street: Int32, district: Int32
        var compound: Int32, compoundCore: Int32
        var road: Int32, number: Int32
        var building: Int32, buildingOrGroup: Int32, unit: Int32
        var grid: Int32
    }

    /// The id of a missing component.
    static let absent: Int32 = -1
    /// The id of a record's component that no standard address has: equal to nothing.
    static let unknown: Int32 = -2

    public let thresholds: MatchThresholds
    /// What the index was derived from, kept for persisting it (its arrays are shared, not copied).
    let parts: Parts
    private let ids: [String]
    private let locations: [Coordinate?]
    private let candidates: [Candidate]
    private let names: [String]
    private let nameIDs: [String: Int32]
    /// Bigrams of each compound core, by its name id.
    private let coreBigrams: [Int32: BigramSimilarity.Bigrams]
    /// Exact keys: first node of each key hash; `chain` holds (entry, next node) pairs in
    /// index order, so the first hit is the lowest index.
    private let exactHeads: [UInt64: Int32]
    private let chain: [(entry: Int32, next: Int32)]
    private let byCommunity: [String: [Int32]]
    private let byStreet: [String: [Int32]]
    private let byDistrictName: [String: [Int32]]
    /// City-wide blocks: `c|<compound core>` and `r|<road>` over every division.
    private let byCityName: [String: [Int32]]

    /// Normalises and indexes the list; `normalizer` must share the resolver's gazetteer.
    public init(addresses: [StandardAddress], normalizer: AddressNormalizer, thresholds: MatchThresholds = MatchThresholds()) {
        let sorted = addresses.sorted(by: { $0.id < $1.id })
        var next = sorted.makeIterator()
        self.init(normalizer: normalizer, thresholds: thresholds) { next.next() }
    }

    /// Normalises and indexes the addresses `next` gives, which must come in id order (ties
    /// go to the lowest id); they are read in slices, so the list is never held whole.
    public init(normalizer: AddressNormalizer, thresholds: MatchThresholds = MatchThresholds(),
                next: () throws -> StandardAddress?) rethrows {
        var names: [String] = [], nameIDs: [String: Int32] = [:]
        func intern(_ s: String?) -> Int32 {
            guard let s else { return Self.absent }
            if let id = nameIDs[s] { return id }
            let id = Int32(names.count)
            names.append(s)
            nameIDs[s] = id
            return id
        }
        var parts = Parts()
        var slice: [StandardAddress] = []
        slice.reserveCapacity(Self.sliceSize)
        var more = true
        while more {
            slice.removeAll(keepingCapacity: true)
            while slice.count < Self.sliceSize, let address = try next() { slice.append(address) }
            more = slice.count == Self.sliceSize
            for (k, n) in Self.normalizeAll(slice[...], normalizer: normalizer).enumerated() {
                let address = slice[k]
                let i = Int32(parts.ids.count)
                parts.ids.append(address.id)
                parts.locations.append(address.location)
                let coreID = intern(n.compound.map(StandardAddressIndex.core))
                parts.candidates.append(Candidate(
                    community: intern(n.division.communityCode), street: intern(n.division.streetCode),
                    district: intern(n.division.districtCode), compound: intern(n.compound), compoundCore: coreID,
                    road: intern(n.road), number: intern(n.number), building: intern(n.building),
                    buildingOrGroup: intern(n.building ?? n.group), unit: intern(n.unit),
                    grid: intern(address.gridCode)))
                for variant in Set(StandardAddressIndex.keyVariants(n)).sorted() {
                    parts.keyEntries.append(i)
                    parts.keyHashes.append(StableHash.fnv1a64(variant))
                }
            }
        }
        parts.names = names
        self.init(parts, thresholds: thresholds)
    }

    /// What the index is made of once every address is normalised; the rest (look-ups by
    /// name, exact-key chains, blocks) follows from it. This is what is persisted.
    struct Parts: Equatable {
        var ids: [String] = []
        var locations: [Coordinate?] = []
        var candidates: [Candidate] = []
        var names: [String] = []
        /// The exact keys in index order: entry and key hash of each (an entry's keys in the
        /// order of their text).
        var keyEntries: [Int32] = []
        var keyHashes: [UInt64] = []
    }

    /// The index of normalised parts (built here or read back).
    init(_ parts: Parts, thresholds: MatchThresholds) {
        self.thresholds = thresholds
        let names = parts.names
        var nameIDs: [String: Int32] = [:]
        nameIDs.reserveCapacity(names.count)
        for (k, name) in names.enumerated() { nameIDs[name] = Int32(k) }
        func name(_ id: Int32) -> String? { id >= 0 ? names[Int(id)] : nil }

        var coreBigrams: [Int32: BigramSimilarity.Bigrams] = [:]
        var exactHeads: [UInt64: Int32] = [:], exactTails: [UInt64: Int32] = [:]
        var chain: [(entry: Int32, next: Int32)] = []
        chain.reserveCapacity(parts.keyEntries.count)
        for (entry, hash) in zip(parts.keyEntries, parts.keyHashes) {
            let node = Int32(chain.count)
            chain.append((entry, -1))
            if let tail = exactTails[hash] { chain[Int(tail)].next = node } else { exactHeads[hash] = node }
            exactTails[hash] = node
        }
        var byCommunity: [String: [Int32]] = [:], byStreet: [String: [Int32]] = [:], byDistrictName: [String: [Int32]] = [:]
        var byCityName: [String: [Int32]] = [:]
        for (k, c) in parts.candidates.enumerated() {
            let i = Int32(k)
            let core = name(c.compoundCore), road = name(c.road)
            if let core, coreBigrams[c.compoundCore] == nil { coreBigrams[c.compoundCore] = BigramSimilarity.Bigrams(core) }
            if let community = name(c.community) { byCommunity[community, default: []].append(i) }
            if let street = name(c.street) { byStreet[street, default: []].append(i) }
            if let d = name(c.district) {
                if let core { byDistrictName[d + "|c|" + core, default: []].append(i) }
                if let road { byDistrictName[d + "|r|" + road, default: []].append(i) }
            }
            if let core { byCityName["c|" + core, default: []].append(i) }
            if let road { byCityName["r|" + road, default: []].append(i) }
        }
        self.parts = parts
        self.ids = parts.ids
        self.locations = parts.locations
        self.candidates = parts.candidates
        self.names = names
        self.nameIDs = nameIDs
        self.coreBigrams = coreBigrams
        self.exactHeads = exactHeads
        self.chain = chain
        self.byCommunity = byCommunity
        self.byStreet = byStreet
        self.byDistrictName = byDistrictName
        self.byCityName = byCityName
    }

    /// Each address normalised in the community its grid code names, components filled from
    /// its fields; split across the cores because a city's list takes seconds on one.
    private static func normalizeAll(_ addresses: ArraySlice<StandardAddress>, normalizer: AddressNormalizer) -> [NormalizedAddress] {
        let gazetteer = normalizer.gazetteer
        @Sendable func normalize(_ a: StandardAddress) -> NormalizedAddress {
            var context = DivisionPath()
            if let grid = a.gridCode, grid.utf8.count >= 12 { context = gazetteer.path(of: String(grid.prefix(12))) }
            var n = normalizer.normalize(a.address, context: context)
            if let c = context.communityCode, n.division.communityCode != c { n.division = context }
            n.road = n.road ?? AddressNormalizer.canonicalComponent(a.road)
            n.number = n.number ?? AddressNormalizer.canonicalComponent(a.number)
            n.compound = n.compound ?? AddressNormalizer.canonicalComponent(a.compound)
            n.building = n.building ?? AddressNormalizer.canonicalComponent(a.building)
            n.unit = n.unit ?? AddressNormalizer.canonicalComponent(a.unit)
            return n
        }
        let chunks = min(ProcessInfo.processInfo.activeProcessorCount, max(1, addresses.count / 2_000))
        guard chunks > 1 else { return addresses.map(normalize) }
        let results = NormalizedChunks(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            let lower = addresses.startIndex + addresses.count * k / chunks
            let range = lower..<(addresses.startIndex + addresses.count * (k + 1) / chunks)
            results.set(k, addresses[range].map(normalize))
        }
        return results.joined()
    }

    /// Addresses normalised together (in parallel) and then dropped.
    static let sliceSize = 8_192

    /// Number of standard addresses indexed.
    public var count: Int { ids.count }

    /// The component keys a standard address answers to exactly.
    static func keyVariants(_ n: NormalizedAddress) -> [String] {
        var variants = [n.componentKey]
        if n.roadNumber != nil, n.compound != nil {
            var noRoad = n
            noRoad.road = nil
            noRoad.number = nil
            var noCompound = n
            noCompound.compound = nil
            variants += [noRoad.componentKey, noCompound.componentKey]
        }
        return variants
    }

    /// A compound name without a trailing generic 小区.
    static func core(_ compound: String) -> String {
        compound.count > 3 && compound.hasSuffix("小区") ? String(compound.dropLast(2)) : compound
    }

    private func id(_ s: String?) -> Int32 {
        guard let s else { return Self.absent }
        return nameIDs[s] ?? Self.unknown
    }

    /// Matches a normalised address. `hint` holds divisions known from elsewhere (the record's
    /// division fields, the grid its coordinates fall in); the address's own divisions come
    /// first. `near` is the record's point in WGS-84, which breaks ties between equally good
    /// candidates in different grids.
    public func match(_ address: NormalizedAddress, hint: DivisionPath = DivisionPath(), near: Coordinate? = nil) -> AddressMatch? {
        guard address.hasComponents else { return nil }
        let division = DivisionPath(
            districtCode: address.division.districtCode ?? hint.districtCode,
            streetCode: address.division.streetCode ?? hint.streetCode,
            communityCode: address.division.communityCode ?? hint.communityCode)
        guard let code = division.mostSpecificCode else { return matchCityWide(address, near: near) }

        if let head = exactHeads[StableHash.fnv1a64(address.componentKey)] {
            let codeID = id(code)
            var hits: [Int32] = []
            var node = head
            while node >= 0 {
                let i = chain[Int(node)].entry
                let c = candidates[Int(i)]
                if codeID >= 0, c.community == codeID || c.street == codeID || c.district == codeID { hits.append(i) }
                node = chain[Int(node)].next
            }
            if let first = hits.first {
                if Set(hits.map { candidates[Int($0)].grid }).count == 1 { return found(first, .exact, 1) }
                if let nearest = nearest(hits, to: near) { return found(nearest, .exact, 1, byCoordinates: true) }
                return found(first, .fuzzy, thresholds.ambiguousExactScore)
            }
        }

        guard address.compound != nil || address.road != nil else { return nil }
        var blocks: [[Int32]] = []
        if let c = division.communityCode, let b = byCommunity[c] { blocks.append(b) }
        if let s = division.streetCode, let b = byStreet[s] { blocks.append(b) }
        if let d = division.districtCode {
            if let compound = address.compound, let b = byDistrictName[d + "|c|" + StandardAddressIndex.core(compound)] { blocks.append(b) }
            if let road = address.road, let b = byDistrictName[d + "|r|" + road] { blocks.append(b) }
        }
        let blocksToScore = blocks.filter { $0.count <= thresholds.maxBlockSize }
        guard !blocksToScore.isEmpty else { return nil }
        var record = RecordComponents(address, index: self)
        for block in blocksToScore {
            if let found = best(in: block, for: &record, near: near, ambiguous: .lowestID) { return found }
        }
        return nil
    }

    /// The match of an address that names no division: by its exact key, else by score, among
    /// the addresses sharing its compound name (when they lie in one community) or else its
    /// road (when it lies in one district). Anything less certain matches nothing.
    private func matchCityWide(_ address: NormalizedAddress, near: Coordinate?) -> AddressMatch? {
        let block: [Int32]
        if let compound = address.compound {
            guard let b = byCityName["c|" + StandardAddressIndex.core(compound)],
                  Set(b.map { candidates[Int($0)].community }).count == 1 else { return nil }
            block = b
        } else if let road = address.road {
            guard let b = byCityName["r|" + road], Set(b.map { candidates[Int($0)].district }).count == 1 else { return nil }
            block = b
        } else {
            return nil
        }
        guard block.count <= thresholds.maxBlockSize else { return nil }
        if let head = exactHeads[StableHash.fnv1a64(address.componentKey)] {
            let inBlock = Set(block)
            var hits: [Int32] = []
            var node = head
            while node >= 0 {
                let i = chain[Int(node)].entry
                if inBlock.contains(i) { hits.append(i) }
                node = chain[Int(node)].next
            }
            if let first = hits.first {
                if Set(hits.map { candidates[Int($0)].grid }).count == 1 { return found(first, .exact, 1, cityWide: true) }
                if let nearest = nearest(hits, to: near) { return found(nearest, .exact, 1, cityWide: true, byCoordinates: true) }
                return nil
            }
        }
        var record = RecordComponents(address, index: self)
        return best(in: block, for: &record, near: near, ambiguous: .none).map { m in
            var m = m
            m.isCityWide = true
            return m
        }
    }

    /// The candidate nearest `point` when it lies within `tieBreakMeters` and every candidate
    /// of another grid lies farther; nil without a point or without such a candidate.
    private func nearest(_ entries: [Int32], to point: Coordinate?) -> Int32? {
        guard let point else { return nil }
        var best: (meters: Double, index: Int32)? = nil
        for i in entries {
            guard let location = locations[Int(i)] else { continue }
            let meters = GeoDistance.meters(point, location)
            if best == nil || meters < best!.meters { best = (meters, i) }
        }
        guard let best, best.meters <= thresholds.tieBreakMeters else { return nil }
        let grid = candidates[Int(best.index)].grid
        for i in entries where candidates[Int(i)].grid != grid {
            if let location = locations[Int(i)], GeoDistance.meters(point, location) <= best.meters { return nil }
        }
        return best.index
    }

    /// A record's components as ids, with the compound similarities computed so far (one per
    /// distinct standard compound: all units of a compound share it).
    struct RecordComponents {
        let core: Int32, road: Int32, number: Int32, building: Int32, buildingOrGroup: Int32, unit: Int32
        let coreBigrams: BigramSimilarity.Bigrams?
        var similarity: [Int32: Double] = [:]

        init(_ r: NormalizedAddress, index: StandardAddressIndex) {
            let core = r.compound.map(StandardAddressIndex.core)
            self.core = index.id(core)
            road = index.id(r.road)
            number = index.id(r.number)
            building = index.id(r.building)
            buildingOrGroup = index.id(r.building ?? r.group)
            unit = index.id(r.unit)
            coreBigrams = core.map(BigramSimilarity.Bigrams.init)
        }
    }

    /// What `best` does with equally good candidates in different grids that the record's
    /// point cannot tell apart.
    enum Ambiguity {
        /// Take the lowest id (within a named division: the record's division says enough).
        case lowestID
        /// Match nothing (city-wide: a guess would land in another part of the city).
        case none
    }

    /// The best-scoring candidate at or above the threshold; ties go to the candidate with
    /// fewer components the record does not mention, then — between grids — to the one nearest
    /// the record's point (see `nearest`), then as `ambiguous` says.
    private func best(in block: [Int32], for record: inout RecordComponents, near: Coordinate?,
                      ambiguous: Ambiguity) -> AddressMatch? {
        var best: (score: Double, extras: Int, index: Int32)? = nil
        var tied: [Int32] = []
        for i in block {
            let (score, extras) = self.score(&record, candidates[Int(i)])
            guard score >= thresholds.fuzzyAccept else { continue }
            if let b = best {
                if (b.score, -b.extras) > (score, -extras) { continue }
                if (b.score, -b.extras) == (score, -extras) {
                    tied.append(i)
                    continue
                }
            }
            best = (score, extras, i)
            tied = [i]
        }
        guard let best else { return nil }
        let first = tied.min() ?? best.index
        if Set(tied.map { candidates[Int($0)].grid }).count <= 1 { return found(first, .fuzzy, best.score) }
        if let nearest = nearest(tied, to: near) { return found(nearest, .fuzzy, best.score, byCoordinates: true) }
        switch ambiguous {
        case .lowestID: return found(first, .fuzzy, best.score)
        case .none: return nil
        }
    }

    /// The match of entry `i`, with its compound and building keys.
    private func found(_ i: Int32, _ method: PlaceMatchMethod, _ score: Double, cityWide: Bool = false,
                       byCoordinates: Bool = false) -> AddressMatch {
        let c = candidates[Int(i)]
        func name(_ id: Int32) -> String? { id >= 0 ? names[Int(id)] : nil }
        let compound = name(c.compound).flatMap { compound in name(c.community).map { $0 + "|" + compound } }
        let building = name(c.buildingOrGroup).flatMap { b in compound.map { $0 + "|" + b } }
        let address = MatchedAddress(id: ids[Int(i)], gridCode: name(c.grid), location: locations[Int(i)])
        return AddressMatch(address: address, method: method, score: score, compoundKey: compound, buildingKey: building,
                            isCityWide: cityWide, byCoordinates: byCoordinates)
    }

    /// The weighted agreement of the components the record gives, and how many components the
    /// standard address has that the record does not give.
    func score(_ r: inout RecordComponents, _ s: Candidate) -> (Double, Int) {
        let t = thresholds
        var total = 0.0, weights = 0.0, extras = 0
        func add(_ weight: Double, _ mine: Int32, _ theirs: Int32, _ agreement: (inout RecordComponents) -> Double) {
            switch (mine == Self.absent, theirs == Self.absent) {
            case (true, true): return
            case (true, false): extras += 1
            case (false, true): total += weight * t.missingInStandard; weights += weight
            case (false, false): total += weight * agreement(&r); weights += weight
            }
        }
        add(t.compoundWeight, r.core, s.compoundCore) { r in
            if r.core == s.compoundCore { return 1 }
            if let known = r.similarity[s.compoundCore] { return known }
            let dice = r.coreBigrams.flatMap { mine in coreBigrams[s.compoundCore].map { BigramSimilarity.dice(mine, $0) } } ?? 0
            r.similarity[s.compoundCore] = dice
            return dice
        }
        add(t.roadNumberWeight, r.road, s.road) { r in
            guard r.road == s.road else { return 0 }
            switch (r.number == Self.absent, s.number == Self.absent) {
            case (false, false): return r.number == s.number ? 1 : 0.2
            case (true, true): return 1
            default: return 0.7
            }
        }
        add(t.buildingWeight, r.buildingOrGroup, s.buildingOrGroup) { r in r.buildingOrGroup == s.buildingOrGroup ? 1 : 0 }
        add(t.unitWeight, r.unit, s.unit) { r in r.unit == s.unit ? 1 : 0 }
        guard weights > 0 else { return (0, extras) }
        var score = total / weights
        if r.building != Self.absent, s.building != Self.absent, r.building != s.building { score = min(score, t.buildingConflictCap) }
        return (score, extras)
    }
}

/// Results of the parallel normalisation, one slot per chunk.
private final class NormalizedChunks: @unchecked Sendable {
    // Each slot is written by exactly one iteration of `concurrentPerform`, and read only
    // after it returns; the lock makes the hand-over explicit.
    private var slots: [[NormalizedAddress]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func set(_ k: Int, _ value: [NormalizedAddress]) {
        lock.lock()
        slots[k] = value
        lock.unlock()
    }

    func joined() -> [NormalizedAddress] { slots.flatMap { $0 } }
}
