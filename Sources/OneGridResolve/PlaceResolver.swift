import OneGridModel
import Synchronization

/// Ties a record's place to a standard address, a grid and its divisions.
///
/// Conflict rule (which source decides the grid), in order:
/// 1. **Address.** A standard-address match — exact, or fuzzy at or above
///    `MatchThresholds.fuzzyAccept` — decides the grid (the standard address's grid code).
///    Method `.exact`/`.fuzzy`; confidence 1.0 for exact, 0.9 × score for fuzzy.
/// 2. **Coordinates.** Else the grid whose boundary contains the point (converted to WGS-84;
///    point-in-polygon, lowest code on shared boundaries). Method `.coordinates`, confidence 0.8.
/// 3. **Given grid code.** Else the grid code the source gave, if it is in the grid registry and
///    lies under the community/street/district the record names (or the record names none).
///    Method `.division` (the Model has no "given" method), confidence 0.6.
/// 4. **Division only.** Else no grid: the divisions named by the fields or the text. Method
///    `.division` with confidence 0.4 (community), 0.3 (street), 0.2 (district); `.none`, 0, when
///    nothing is known.
///
/// Whenever two of {given grid code, address grid, coordinate grid} are present and differ,
/// `conflict` says so, pair by pair, naming the winner: `given grid 320116006001002 ≠ address
/// grid 320116006001003 (address wins)`. A given code missing from the registry is always
/// reported as `given grid X not in registry`, and a listed one that lies outside the named
/// division, when neither address nor coordinates decided, as
/// `given grid X not under named division Y`. Notes are joined with `; `.
///
/// An address that matches nothing is read a second time with bare division names taken as
/// part of the place name (栖霞区仙林翠谷21栋: compound 仙林翠谷, not 仙林街道 + 翠谷); the
/// second reading is kept only when it matches.
///
/// An address naming no division, with no point to place it, is searched city-wide by its
/// compound or road name when that name is unique in the list (`AddressMatch.isCityWide`;
/// confidence × 0.9). When equally good standard addresses lie in different grids, the
/// record's point picks the nearest (`StandardAddressIndex.match(_:hint:near:)`).
///
/// The incident place key (`incidentPlaceKey`) is the matched building, or the matched
/// compound for a record that names no building, or the standard address.
///
/// Divisions come from the chosen grid code's prefix (12 → community, 9 → street, 6 → district,
/// through the gazetteer), else from the text and fields. The location is the record's point in
/// WGS-84, else the standard address's. Keys are the normalised address's, placed in the
/// resolved community when the text and fields named no division.
public struct PlaceResolver: Sendable {
    public let normalizer: AddressNormalizer
    public let addresses: StandardAddressIndex
    public let grids: GridIndex
    private let registry: [String: Grid]
    private let namedDivisions = DivisionMemo()

    public var gazetteer: Gazetteer { normalizer.gazetteer }

    /// - Parameters:
    ///   - registry: the grid registry (网格台账); a given grid code is trusted only if listed here.
    public init(normalizer: AddressNormalizer, addresses: StandardAddressIndex, grids: GridIndex, registry: [Grid]) {
        self.normalizer = normalizer
        self.addresses = addresses
        self.grids = grids
        var byCode: [String: Grid] = [:]
        for g in registry { byCode[g.code] = g }
        self.registry = byCode
    }

    /// Resolves one place; `givenGridCode` is the grid code the source record carried, if any.
    public func resolve(_ draft: PlaceDraft, givenGridCode: String? = nil) -> ResolvedPlace {
        let named = namedDivisions.path(DivisionMemo.Key(district: draft.district, street: draft.street, community: draft.community)) {
            gazetteer.resolve(district: $0.district, street: $0.street, community: $0.community)
        }
        let text = TextNormalization.clean(draft.address)
        var normalized = text.map { normalizer.normalize($0, context: named) }
        let namedPath = normalized?.division ?? named

        let location = draft.point.flatMap(PlaceResolver.wgs84)
        let coordinateGrid = location.flatMap { grids.locate($0) }
        let coordinatePath = coordinateGrid.map { gazetteer.path(of: String($0.prefix(12))) } ?? DivisionPath()

        let hint = namedPath.isEmpty ? coordinatePath : namedPath
        var match = normalized.flatMap { addresses.match($0, hint: hint, near: location) }
        if match == nil, let text, let first = normalized {
            // The second reading: a bare division name may begin the place's own name (仙林翠谷).
            let second = normalizer.normalize(text, context: named, bareAbbreviations: false)
            let secondHint = !named.isEmpty ? named : !coordinatePath.isEmpty ? coordinatePath : first.division
            if second != first, let found = addresses.match(second, hint: secondHint, near: location) {
                match = found
                normalized = second
            }
        }
        let addressGrid = match?.address.gridCode

        let given = givenGridCode.map(TextNormalization.compact).flatMap { $0.isEmpty ? nil : $0 }
        let givenKnown = given.flatMap { registry[$0] } != nil
        let givenFits = givenKnown && (namedPath.mostSpecificCode.map { gazetteer.isWithin(given!, $0) } ?? true)

        var out = ResolvedPlace(text: draft.address)
        if let match, let addressGrid {
            out.gridCode = addressGrid
            out.standardAddressID = match.address.id
            out.method = match.method
            out.confidence = (match.method == .exact ? 1.0 : 0.9 * match.score) * (match.isCityWide ? PlaceResolver.cityWideFactor : 1)
        } else if let coordinateGrid {
            out.gridCode = coordinateGrid
            out.method = .coordinates
            out.confidence = 0.8
        } else if givenFits, let given {
            out.gridCode = given
            out.method = .division
            out.confidence = 0.6
        }

        var path = namedPath
        if let grid = out.gridCode {
            let fromGrid = gazetteer.path(of: String(grid.prefix(12)))
            if !fromGrid.isEmpty { path = fromGrid }
        }
        if out.gridCode == nil {
            if let match, match.address.gridCode == nil {
                out.standardAddressID = match.address.id
            }
            if path.communityCode != nil { out.method = .division; out.confidence = 0.4 }
            else if path.streetCode != nil { out.method = .division; out.confidence = 0.3 }
            else if path.districtCode != nil { out.method = .division; out.confidence = 0.2 }
        }
        out.communityCode = path.communityCode
        out.streetCode = path.streetCode
        out.districtCode = path.districtCode
        out.location = location ?? match?.address.location

        if var n = normalized {
            if n.division.isEmpty, !path.isEmpty { n = n.placed(in: path) }
            normalized = n
            out.normalizedKey = n.key
            out.compoundKey = n.compoundKey
        }
        out.incidentPlaceKey = PlaceResolver.incidentPlaceKey(match: match, record: normalized)
        var conflict = PlaceResolver.conflict(given: given, givenKnown: givenKnown, address: addressGrid,
                                              coordinates: coordinateGrid, winner: out.method)
        if let given, givenKnown, !givenFits, addressGrid == nil, coordinateGrid == nil,
           let code = namedPath.mostSpecificCode {
            conflict = [conflict, "given grid \(given) not under named division \(code)"]
                .compactMap { $0 }.joined(separator: "; ")
        }
        out.conflict = conflict
        return out
    }

    /// What incidents are linked on (see `ResolvedPlace.incidentPlaceKey`): the matched
    /// building when the record names one — every unit of a building is one place for a
    /// matter such as fumes or a blocked fire lane —, the matched compound when the record
    /// names none (it cannot tell which building), the standard address when it has no
    /// building, else nil (the loader falls back to the record's own compound key).
    static func incidentPlaceKey(match: AddressMatch?, record: NormalizedAddress?) -> IncidentPlaceKey? {
        guard let match else { return nil }
        if let building = match.buildingKey {
            if record?.building != nil || record?.group != nil, let key = IncidentPlaceKey(buildingKey: building) { return key }
            if let compound = match.compoundKey { return .compound(compound) }
        }
        return .standardAddress(match.address.id)
    }

    /// A match found city-wide (the record named no division) is a little less sure than one
    /// found in a named division: the name was unique in the list, but the list may be incomplete.
    static let cityWideFactor = 0.9

    /// The record's point in WGS-84, if it is a plausible coordinate (finite, not 0,0).
    static func wgs84(_ p: GeoPoint) -> Coordinate? {
        guard p.lng.isFinite, p.lat.isFinite, abs(p.lat) <= 90, abs(p.lng) <= 180, !(p.lng == 0 && p.lat == 0) else { return nil }
        return CoordinateTransform.toWGS84(p)
    }

    /// The conflict text of the rule in the type's documentation.
    static func conflict(given: String?, givenKnown: Bool, address: String?, coordinates: String?,
                         winner: PlaceMatchMethod) -> String? {
        var notes: [String] = []
        let winnerWord: String
        switch winner {
        case .exact, .fuzzy: winnerWord = "address wins"
        case .coordinates: winnerWord = "coordinates win"
        default: winnerWord = "given wins"
        }
        if let given, !givenKnown {
            notes.append("given grid \(given) not in registry")
        }
        if let given, givenKnown, let address, given != address {
            notes.append("given grid \(given) ≠ address grid \(address) (\(winnerWord))")
        }
        if let given, givenKnown, let coordinates, given != coordinates {
            notes.append("given grid \(given) ≠ coordinate grid \(coordinates) (\(winnerWord))")
        }
        if let address, let coordinates, address != coordinates {
            notes.append("address grid \(address) ≠ coordinate grid \(coordinates) (\(winnerWord))")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}

/// The divisions named by each (district, street, community) triple of fields already
/// resolved: a file names a few hundred triples over and over, and each resolution cleans
/// and looks up three names. Shared by the mapping workers; bounded, so memory stays flat.
final class DivisionMemo: Sendable {
    /// The three fields. Compared as `String`s are (canonically equivalent texts are one
    /// key): the gazetteer compares names the same way, so such texts resolve alike.
    struct Key: Hashable, Sendable {
        var district, street, community: String?
    }

    private let paths = Mutex<[Key: DivisionPath]>([:])
    /// Triples remembered; a file with more starts over when full.
    static let limit = 4096

    /// The remembered path of `key`, else `resolve(key)` (a pure function of the key).
    func path(_ key: Key, resolve: (Key) -> DivisionPath) -> DivisionPath {
        if let known = paths.withLock({ $0[key] }) { return known }
        let path = resolve(key)
        paths.withLock { table in
            if table.count >= Self.limit { table.removeAll(keepingCapacity: true) }
            table[key] = path
        }
        return path
    }
}
