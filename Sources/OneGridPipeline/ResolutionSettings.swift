import Foundation
import OneGridResolve

/// A bad resolution setting: the environment variable, its value and what is expected.
public struct ResolutionSettingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var variable: String
    public var value: String
    public var expected: String

    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(variable)=\(value): expected \(expected)" }
}

/// The tunable numbers of resolution, read from the environment so that cron jobs and
/// one-off runs can set them without a configuration file:
///
/// | variable | default | meaning |
/// | --- | --- | --- |
/// | `ONEGRID_FUZZY_ACCEPT` | 0.75 | a fuzzy standard-address match is accepted at or above this score |
/// | `ONEGRID_MATCH_WEIGHTS` | 0.4,0.3,0.2,0.1 | weights of compound, road+number, building, unit in the score |
/// | `ONEGRID_INCIDENT_WINDOW_DAYS` | 30 | all reports of one incident lie within this many days |
/// | `ONEGRID_SAME_FEED_PLACE_JOIN` | 0 | 1: two reports of one feed at one specific place join without a second signal |
/// | `ONEGRID_INCIDENT_NEAR_DAYS` | 3 | a report of the same class this close to an incident joins it without a second signal (0: never) |
public struct ResolutionSettings: Sendable, Hashable {
    public var thresholds: MatchThresholds
    public var incidentWindowDays: Int
    /// Whether two reports of one feed need a second signal (person, text, repeat link) even
    /// at one specific place (`IncidentLinkRule.sameFeedNeedsSecondSignal`).
    public var sameFeedNeedsSecondSignal: Bool
    /// `IncidentLinkRule.near`, in days.
    public var incidentNearDays: Int

    public init(thresholds: MatchThresholds = MatchThresholds(), incidentWindowDays: Int = 30,
                sameFeedNeedsSecondSignal: Bool = true, incidentNearDays: Int = 3) {
        self.incidentNearDays = incidentNearDays
        self.thresholds = thresholds
        self.incidentWindowDays = incidentWindowDays
        self.sameFeedNeedsSecondSignal = sameFeedNeedsSecondSignal
    }

    /// The defaults, overridden by the variables set in `environment`.
    public init(environment: [String: String]) throws {
        self.init()
        if let v = environment["ONEGRID_FUZZY_ACCEPT"] {
            guard let x = Double(v), x > 0, x <= 1 else {
                throw ResolutionSettingError(variable: "ONEGRID_FUZZY_ACCEPT", value: v, expected: "a number in (0, 1]")
            }
            thresholds.fuzzyAccept = x
        }
        if let v = environment["ONEGRID_MATCH_WEIGHTS"] {
            let parts = v.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 4, parts.allSatisfy({ ($0 ?? -1) >= 0 }), parts.reduce(0, { $0 + $1! }) > 0 else {
                throw ResolutionSettingError(variable: "ONEGRID_MATCH_WEIGHTS", value: v,
                                             expected: "four non-negative numbers: compound,road+number,building,unit")
            }
            thresholds.compoundWeight = parts[0]!
            thresholds.roadNumberWeight = parts[1]!
            thresholds.buildingWeight = parts[2]!
            thresholds.unitWeight = parts[3]!
        }
        if let v = environment["ONEGRID_INCIDENT_WINDOW_DAYS"] {
            guard let days = Int(v), days >= 0, days <= 3650 else {
                throw ResolutionSettingError(variable: "ONEGRID_INCIDENT_WINDOW_DAYS", value: v, expected: "whole days, 0–3650")
            }
            incidentWindowDays = days
        }
        if let v = environment["ONEGRID_SAME_FEED_PLACE_JOIN"] {
            guard v == "0" || v == "1" else {
                throw ResolutionSettingError(variable: "ONEGRID_SAME_FEED_PLACE_JOIN", value: v, expected: "0 or 1")
            }
            sameFeedNeedsSecondSignal = v == "0"
        }
        if let v = environment["ONEGRID_INCIDENT_NEAR_DAYS"] {
            guard let days = Int(v), days >= 0, days <= 30 else {
                throw ResolutionSettingError(variable: "ONEGRID_INCIDENT_NEAR_DAYS", value: v, expected: "whole days, 0–30")
            }
            incidentNearDays = days
        }
    }
}
