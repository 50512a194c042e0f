import OneGridPipeline
import OneGridResolve
import Testing

@Suite("Resolution settings from the environment")
struct ResolutionSettingsTests {
    @Test("with no variable set, the documented defaults")
    func defaults() throws {
        let s = try ResolutionSettings(environment: [:])
        #expect(s == ResolutionSettings(thresholds: MatchThresholds(), incidentWindowDays: 30))
        #expect(s.thresholds.fuzzyAccept == 0.75)
    }

    @Test("every variable overrides its setting")
    func overrides() throws {
        let s = try ResolutionSettings(environment: [
            "ONEGRID_FUZZY_ACCEPT": "0.8", "ONEGRID_MATCH_WEIGHTS": "0.5, 0.2,0.2,0.1", "ONEGRID_INCIDENT_WINDOW_DAYS": "14",
        ])
        #expect(s.thresholds == MatchThresholds(fuzzyAccept: 0.8, compoundWeight: 0.5, roadNumberWeight: 0.2,
                                                buildingWeight: 0.2, unitWeight: 0.1))
        #expect(s.incidentWindowDays == 14)
    }

    @Test("a bad value names the variable, the value and what is expected")
    func badValue() {
        #expect(throws: ResolutionSettingError(variable: "ONEGRID_FUZZY_ACCEPT", value: "1.5", expected: "a number in (0, 1]")) {
            try ResolutionSettings(environment: ["ONEGRID_FUZZY_ACCEPT": "1.5"])
        }
        #expect(throws: ResolutionSettingError(variable: "ONEGRID_MATCH_WEIGHTS", value: "1,2,3",
                                               expected: "four non-negative numbers: compound,road+number,building,unit")) {
            try ResolutionSettings(environment: ["ONEGRID_MATCH_WEIGHTS": "1,2,3"])
        }
        #expect(throws: ResolutionSettingError(variable: "ONEGRID_INCIDENT_WINDOW_DAYS", value: "a week", expected: "whole days, 0–3650")) {
            try ResolutionSettings(environment: ["ONEGRID_INCIDENT_WINDOW_DAYS": "a week"])
        }
    }
}
