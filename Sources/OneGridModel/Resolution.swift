/// How a place was tied to the standard address list or a grid.
public enum PlaceMatchMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// The normalised address equals a standard address's key.
    case exact
    /// A scored match within the street or community the record names or points to.
    case fuzzy
    /// The coordinates fell inside a grid's boundary.
    case coordinates
    /// Only a community, street or district could be told.
    case division
    /// Nothing could be told.
    case none
}

/// A place after resolution: the source's text kept, the standard address and grid found,
/// the divisions above it, the point in WGS-84, how it was matched and how sure.
public struct ResolvedPlace: Sendable, Hashable, Codable {
    public var text: String?
    /// The normalised address key that equal places share.
    public var normalizedKey: String?
    /// A coarser key (community + compound) for addresses without a building.
    public var compoundKey: String?
    public var standardAddressID: String?
    public var gridCode: String?
    public var communityCode: String?
    public var streetCode: String?
    public var districtCode: String?
    public var location: Coordinate?
    public var method: PlaceMatchMethod
    /// 0…1.
    public var confidence: Double
    /// A disagreement between the given grid code, the address and the coordinates, in words.
    public var conflict: String?
    /// What incidents are linked on: a building (every unit of it), a compound (a record
    /// naming only the compound), a standard address without a building, or nil (the loader
    /// falls back to the standard address, else the record's compound key).
    public var incidentPlaceKey: IncidentPlaceKey?

    public init(text: String? = nil, normalizedKey: String? = nil, compoundKey: String? = nil,
                standardAddressID: String? = nil, gridCode: String? = nil, communityCode: String? = nil,
                streetCode: String? = nil, districtCode: String? = nil, location: Coordinate? = nil,
                method: PlaceMatchMethod = .none, confidence: Double = 0, conflict: String? = nil,
                incidentPlaceKey: IncidentPlaceKey? = nil) {
        self.incidentPlaceKey = incidentPlaceKey
        self.text = text
        self.normalizedKey = normalizedKey
        self.compoundKey = compoundKey
        self.standardAddressID = standardAddressID
        self.gridCode = gridCode
        self.communityCode = communityCode
        self.streetCode = streetCode
        self.districtCode = districtCode
        self.location = location
        self.method = method
        self.confidence = confidence
        self.conflict = conflict
    }
}

/// A person as the warehouse may hold them: keyed tokens and masked display forms only.
public struct PersonKeys: Sendable, Hashable, Codable {
    /// HMAC of the normalised 18-character ID number.
    public var idToken: String?
    /// HMAC of the normalised phone number.
    public var phoneToken: String?
    /// HMAC of the name and phone together.
    public var namePhoneToken: String?
    public var maskedName: String?
    public var maskedID: String?
    public var maskedPhone: String?

    public init(idToken: String? = nil, phoneToken: String? = nil, namePhoneToken: String? = nil,
                maskedName: String? = nil, maskedID: String? = nil, maskedPhone: String? = nil) {
        self.idToken = idToken
        self.phoneToken = phoneToken
        self.namePhoneToken = namePhoneToken
        self.maskedName = maskedName
        self.maskedID = maskedID
        self.maskedPhone = maskedPhone
    }

    /// Whether any token links this person (a name alone never does).
    public var isLinkable: Bool { idToken != nil || phoneToken != nil || namePhoneToken != nil }
}
