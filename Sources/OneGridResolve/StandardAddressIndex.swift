import OneGridModel

/// What the standard address list made of an address.
public struct AddressMatch: Sendable, Hashable {
    /// The standard address matched.
    public var address: StandardAddress
    /// `.exact` (same key) or `.fuzzy` (scored within a block).
    public var method: PlaceMatchMethod
    /// 1 for exact; the fuzzy score otherwise (0…1).
    public var score: Double
    /// `<community>|<compound>` of the standard address, when it lies in a compound.
    public var compoundKey: String?
    /// `<community>|<compound>|<building>`, when it also names a building: what all units of
    /// one building share.
    public var buildingKey: String?

    public init(address: StandardAddress, method: PlaceMatchMethod, score: Double, compoundKey: String? = nil,
                buildingKey: String? = nil) {
        self.address = address
        self.method = method
        self.score = score
        self.compoundKey = compoundKey
        self.buildingKey = buildingKey
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
public struct StandardAddressIndex: Sendable {
    struct Entry: Sendable {
        var address: StandardAddress
        var normalized: NormalizedAddress
        var compoundCore: String?
    }

    public let thresholds: MatchThresholds
    private let entries: [Entry]
    private let exact: [String: [Int]]
    private let byCommunity: [String: [Int]]
    private let byStreet: [String: [Int]]
    private let byDistrictName: [String: [Int]]

    /// Normalises and indexes the list; `normalizer` must share the resolver's gazetteer.
    public init(addresses: [StandardAddress], normalizer: AddressNormalizer, thresholds: MatchThresholds = MatchThresholds()) {
        self.thresholds = thresholds
        var entries: [Entry] = []
        var exact: [String: [Int]] = [:], byCommunity: [String: [Int]] = [:]
        var byStreet: [String: [Int]] = [:], byDistrictName: [String: [Int]] = [:]
        let gazetteer = normalizer.gazetteer
        for a in addresses.sorted(by: { $0.id < $1.id }) {
            var context = DivisionPath()
            if let grid = a.gridCode, grid.utf8.count >= 12 { context = gazetteer.path(of: String(grid.prefix(12))) }
            var n = normalizer.normalize(a.address, context: context)
            if let c = context.communityCode, n.division.communityCode != c { n.division = context }
            n.road = n.road ?? AddressNormalizer.canonicalComponent(a.road)
            n.number = n.number ?? AddressNormalizer.canonicalComponent(a.number)
            n.compound = n.compound ?? AddressNormalizer.canonicalComponent(a.compound)
            n.building = n.building ?? AddressNormalizer.canonicalComponent(a.building)
            n.unit = n.unit ?? AddressNormalizer.canonicalComponent(a.unit)
            let i = entries.count
            entries.append(Entry(address: a, normalized: n, compoundCore: n.compound.map(StandardAddressIndex.core)))

            let codes = [n.division.communityCode, n.division.streetCode, n.division.districtCode].compactMap { $0 }
            for variant in StandardAddressIndex.keyVariants(n) {
                for code in codes { exact[code + "|" + variant, default: []].append(i) }
            }
            if let c = n.division.communityCode { byCommunity[c, default: []].append(i) }
            if let s = n.division.streetCode { byStreet[s, default: []].append(i) }
            if let d = n.division.districtCode {
                if let core = entries[i].compoundCore { byDistrictName[d + "|c|" + core, default: []].append(i) }
                if let road = n.road { byDistrictName[d + "|r|" + road, default: []].append(i) }
            }
        }
        self.entries = entries
        self.exact = exact
        self.byCommunity = byCommunity
        self.byStreet = byStreet
        self.byDistrictName = byDistrictName
    }

    /// Number of standard addresses indexed.
    public var count: Int { entries.count }

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

    /// Matches a normalised address. `hint` holds divisions known from elsewhere (the record's
    /// division fields, the grid its coordinates fall in); the address's own divisions come first.
    public func match(_ address: NormalizedAddress, hint: DivisionPath = DivisionPath()) -> AddressMatch? {
        guard address.hasComponents else { return nil }
        let division = DivisionPath(
            districtCode: address.division.districtCode ?? hint.districtCode,
            streetCode: address.division.streetCode ?? hint.streetCode,
            communityCode: address.division.communityCode ?? hint.communityCode)

        if let code = division.mostSpecificCode, let hits = exact[code + "|" + address.componentKey] {
            let grids = Set(hits.map { entries[$0].address.gridCode })
            if grids.count == 1 { return found(hits[0], .exact, 1) }
            return found(hits[0], .fuzzy, thresholds.ambiguousExactScore)
        }

        guard address.compound != nil || address.road != nil else { return nil }
        var blocks: [[Int]] = []
        if let c = division.communityCode, let b = byCommunity[c] { blocks.append(b) }
        if let s = division.streetCode, let b = byStreet[s] { blocks.append(b) }
        if let d = division.districtCode {
            if let compound = address.compound, let b = byDistrictName[d + "|c|" + StandardAddressIndex.core(compound)] { blocks.append(b) }
            if let road = address.road, let b = byDistrictName[d + "|r|" + road] { blocks.append(b) }
        }
        for block in blocks where block.count <= thresholds.maxBlockSize {
            if let found = best(in: block, for: address) { return found }
        }
        return nil
    }

    /// The best-scoring candidate at or above the threshold; ties go to the candidate with
    /// fewer components the record does not mention, then to the lowest id.
    private func best(in block: [Int], for r: NormalizedAddress) -> AddressMatch? {
        var best: (score: Double, extras: Int, index: Int)? = nil
        let recordCore = r.compound.map(StandardAddressIndex.core)
        for i in block {
            let (score, extras) = self.score(r, recordCore: recordCore, entries[i])
            guard score >= thresholds.fuzzyAccept else { continue }
            if let b = best, (b.score, -b.extras) >= (score, -extras) { continue }
            best = (score, extras, i)
        }
        return best.map { found($0.index, .fuzzy, $0.score) }
    }

    /// The match of entry `i`, with its compound and building keys.
    private func found(_ i: Int, _ method: PlaceMatchMethod, _ score: Double) -> AddressMatch {
        let n = entries[i].normalized
        let compound = n.compound.flatMap { c in n.division.communityCode.map { $0 + "|" + c } }
        let building = (n.building ?? n.group).flatMap { b in compound.map { $0 + "|" + b } }
        return AddressMatch(address: entries[i].address, method: method, score: score, compoundKey: compound, buildingKey: building)
    }

    /// The weighted agreement of the components the record gives, and how many components the
    /// standard address has that the record does not give.
    func score(_ r: NormalizedAddress, recordCore: String?, _ e: Entry) -> (Double, Int) {
        let s = e.normalized
        let t = thresholds
        var total = 0.0, weights = 0.0, extras = 0
        func add(_ weight: Double, _ mine: String?, _ theirs: String?, _ agreement: () -> Double) {
            switch (mine, theirs) {
            case (nil, nil): return
            case (nil, _?): extras += 1
            case (_?, nil): total += weight * t.missingInStandard; weights += weight
            case (_?, _?): total += weight * agreement(); weights += weight
            }
        }
        add(t.compoundWeight, recordCore, e.compoundCore) { BigramSimilarity.dice(recordCore!, e.compoundCore!) }
        add(t.roadNumberWeight, r.road, s.road) {
            guard r.road == s.road else { return 0 }
            switch (r.number, s.number) {
            case let (a?, b?): return a == b ? 1 : 0.2
            case (nil, nil): return 1
            default: return 0.7
            }
        }
        add(t.buildingWeight, r.building ?? r.group, s.building ?? s.group) { (r.building ?? r.group) == (s.building ?? s.group) ? 1 : 0 }
        add(t.unitWeight, r.unit, s.unit) { r.unit == s.unit ? 1 : 0 }
        guard weights > 0 else { return (0, extras) }
        var score = total / weights
        if let a = r.building, let b = s.building, a != b { score = min(score, t.buildingConflictCap) }
        return (score, extras)
    }
}
