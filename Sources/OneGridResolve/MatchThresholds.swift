/// The tunable numbers of standard-address matching, with their defaults.
public struct MatchThresholds: Sendable, Hashable, Codable {
    /// A fuzzy match is accepted at or above this score (default 0.75).
    public var fuzzyAccept: Double
    /// Component weights of the fuzzy score (defaults: compound 0.4, road+number 0.3,
    /// building 0.2, unit 0.1). Only components the record gives count.
    public var compoundWeight: Double
    public var roadNumberWeight: Double
    public var buildingWeight: Double
    public var unitWeight: Double
    /// The agreement credited to a component the record gives but the standard address lacks
    /// (default 0.5: unknown, neither for nor against).
    public var missingInStandard: Double
    /// The score is capped here when both give a building and they differ (default 0.5):
    /// another building is another place, whatever else agrees.
    public var buildingConflictCap: Double
    /// The score given when the exact key is shared by several standard addresses with
    /// different grids (default 0.8; the lowest id is taken and the method is fuzzy).
    public var ambiguousExactScore: Double
    /// Blocks larger than this are not scanned (default 20 000), so a record can never make
    /// the index compare against a whole city.
    public var maxBlockSize: Int
    /// Equally good candidates in different grids are told apart by the record's point only
    /// when the nearest lies within this many metres of it (default 1 000: a geocoded point
    /// is off by tens to hundreds of metres; farther, the point may be the caller's, not the place's).
    public var tieBreakMeters: Double

    public init(fuzzyAccept: Double = 0.75, compoundWeight: Double = 0.4, roadNumberWeight: Double = 0.3,
                buildingWeight: Double = 0.2, unitWeight: Double = 0.1, missingInStandard: Double = 0.5,
                buildingConflictCap: Double = 0.5, ambiguousExactScore: Double = 0.8, maxBlockSize: Int = 20_000,
                tieBreakMeters: Double = 1_000) {
        self.tieBreakMeters = tieBreakMeters
        self.fuzzyAccept = fuzzyAccept
        self.compoundWeight = compoundWeight
        self.roadNumberWeight = roadNumberWeight
        self.buildingWeight = buildingWeight
        self.unitWeight = unitWeight
        self.missingInStandard = missingInStandard
        self.buildingConflictCap = buildingConflictCap
        self.ambiguousExactScore = ambiguousExactScore
        self.maxBlockSize = maxBlockSize
    }
}
