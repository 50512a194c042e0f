/// Where an incident or event happened, for linking: a standard address, a building of a
/// compound (every unit of it), or — for coarse addresses — the compound key (division +
/// compound). Stored in `incident.place_key` as `stored` gives it; that form is written and
/// read only here.
public enum IncidentPlaceKey: Sendable, Hashable {
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

    /// A building key as the address index gives it (`<community>|<compound>|<building>`):
    /// the building is what follows the last `|`.
    public init?(buildingKey: String) {
        guard let bar = buildingKey.lastIndex(of: "|") else { return nil }
        self = .building(compound: String(buildingKey[..<bar]), building: String(buildingKey[buildingKey.index(after: bar)...]))
    }

    // MARK: - Stored form

    static let standardPrefix = "std:", compoundPrefix = "compound:", buildingPrefix = "building:"

    /// The form `incident.place_key` holds: `std:<id>`, `compound:<community>|<compound>`,
    /// `building:<community>|<compound>|<building>`.
    public var stored: String {
        switch self {
        case .standardAddress(let id): return Self.standardPrefix + id
        case .compound(let key): return Self.compoundPrefix + key
        case let .building(compound, building): return Self.buildingPrefix + compound + "|" + building
        }
    }

    /// A key from its stored form. A text without a known prefix is a compound key (how
    /// keys were read before they were typed).
    public init(stored: String) {
        if stored.hasPrefix(Self.standardPrefix) {
            self = .standardAddress(String(stored.dropFirst(Self.standardPrefix.count)))
        } else if stored.hasPrefix(Self.buildingPrefix),
                  let key = IncidentPlaceKey(buildingKey: String(stored.dropFirst(Self.buildingPrefix.count))) {
            self = key
        } else if stored.hasPrefix(Self.compoundPrefix) {
            self = .compound(String(stored.dropFirst(Self.compoundPrefix.count)))
        } else {
            self = .compound(stored)
        }
    }

    /// The compound a building lies in; nil for other keys.
    public var compoundOfBuilding: IncidentPlaceKey? {
        if case let .building(compound, _) = self { return .compound(compound) }
        return nil
    }

    /// The prefix every stored building key of this compound starts with; nil for other keys.
    /// With `compoundOfBuilding`, the keys an event's key may meet besides itself.
    public var storedBuildingPrefix: String? {
        if case let .compound(key) = self { return Self.buildingPrefix + key + "|" }
        return nil
    }
}

/// Encoded as its stored form, so a resolved place reads the same wherever it is written.
extension IncidentPlaceKey: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(stored: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stored)
    }
}
