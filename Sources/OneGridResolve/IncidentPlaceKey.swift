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
