/// The divisions a place was told to lie in, all national codes (the 江北新区 pseudo-district
/// 320192 appears only when nothing below it is known).
public struct DivisionPath: Sendable, Hashable, Codable {
    /// 6 digits.
    public var districtCode: String?
    /// 9 digits.
    public var streetCode: String?
    /// 12 digits.
    public var communityCode: String?

    public init(districtCode: String? = nil, streetCode: String? = nil, communityCode: String? = nil) {
        self.districtCode = districtCode
        self.streetCode = streetCode
        self.communityCode = communityCode
    }

    /// The community, else the street, else the district code.
    public var mostSpecificCode: String? { communityCode ?? streetCode ?? districtCode }

    /// Whether nothing is known.
    public var isEmpty: Bool { districtCode == nil && streetCode == nil && communityCode == nil }
}
