/// A free-text address taken apart: the divisions it names (national codes), then road and
/// house number, compound, building, unit and room, each in a canonical spelling (Arabic
/// numerals, letters upper-case, the level word dropped: building `3` for 3栋/三幢/3号楼).
public struct NormalizedAddress: Sendable, Hashable, Codable {
    /// The text after width folding, space and punctuation removal, prefix dropping, numeral
    /// conversion and building-word unification.
    public var text: String
    /// Divisions named by the text, or supplied by the caller's context when the text names none.
    public var division: DivisionPath
    /// A community named with its level word that the gazetteer does not know or cannot place.
    public var unresolvedCommunity: String?
    /// Road, street or lane name with its suffix: 延安路, 中山大道, 大树巷.
    public var road: String?
    /// House number on the road without 号: `18`, `18-1`.
    public var number: String?
    /// Compound, estate, village or building complex: 华城名府, 杉湖路小区, 万达广场.
    public var compound: String?
    /// Building (幢), from 栋/幢/号楼/座/#: `3`, `21`, `A`.
    public var building: String?
    /// Unit (单元): `2`.
    public var unit: String?
    /// Room (室/房/户): `302`. Not part of `key`.
    public var room: String?
    /// Villagers' group (村民小组, 组): `3`. Takes the building's place in `key` when there is no building.
    public var group: String?
    /// Text left over that is none of the above (a shop's name, 东门…).
    public var remainder: String?

    public init(text: String, division: DivisionPath = DivisionPath(), unresolvedCommunity: String? = nil,
                road: String? = nil, number: String? = nil, compound: String? = nil, building: String? = nil,
                unit: String? = nil, room: String? = nil, group: String? = nil, remainder: String? = nil) {
        self.text = text
        self.division = division
        self.unresolvedCommunity = unresolvedCommunity
        self.road = road
        self.number = number
        self.compound = compound
        self.building = building
        self.unit = unit
        self.room = room
        self.group = group
        self.remainder = remainder
    }

    /// Road and number as one component (`延安路18号`, `18号` without a road, `延安路`).
    public var roadNumber: String? {
        switch (road, number) {
        case (nil, nil): return nil
        case let (r?, nil): return r
        case let (r, n?): return (r ?? "") + n + "号"
        }
    }

    /// Building (or villagers' group) as it appears in keys: `3幢`, `3组`.
    var buildingSlot: String? { building.map { $0 + "幢" } ?? group.map { $0 + "组" } }

    /// The components used for matching, without division, room or remainder:
    /// `延安路18号|华城名府|3幢|2单元` (empty slots stay, so positions never shift).
    public var componentKey: String {
        [roadNumber, compound, buildingSlot, unit.map { $0 + "单元" }].map { $0 ?? "" }.joined(separator: "|")
    }

    /// Whether the address says anything below the division level.
    public var hasComponents: Bool {
        road != nil || number != nil || compound != nil || building != nil || unit != nil
            || group != nil || remainder != nil
    }

    /// The canonical key equal places share: the most specific division code, then road and
    /// number, compound, building, unit, then any remainder:
    /// `320116006001|延安路18号|华城名府|3幢|2单元`. The same place written with the same
    /// components (幢/栋/号楼, Chinese or Arabic numerals, full-width, spaces, with or
    /// without province, city, or abbreviated division names) gives the same key.
    /// Rooms are left out: a place is a building unit, not a flat.
    public var key: String {
        var k = (division.mostSpecificCode ?? "") + "|" + componentKey
        if let remainder { k += "|" + remainder }
        return k
    }

    /// The coarse key for addresses no standard address matches: the most specific division
    /// and the compound (else road and number, else the remainder); nil when there is none.
    public var compoundKey: String? {
        guard let part = compound ?? roadNumber ?? remainder else { return nil }
        return (division.mostSpecificCode ?? "") + "|" + part
    }

    /// The same address placed in another division (e.g. the community its grid lies in).
    public func placed(in path: DivisionPath) -> NormalizedAddress {
        var copy = self
        copy.division = path
        return copy
    }
}
