import OneGridModel
import Testing
@testable import OneGridResolve

/// Nearness in time beyond the same class: a domain-only category beside one of its classes,
/// and a grid worker's follow-up ticket of their own within one feed.
@Suite struct IncidentFollowUpTests {
    let rule = IncidentLinkRule(categories: CategoryCompatibility())
    let t0 = Timestamp(beijingYear: 2024, month: 5, day: 1)!
    func at(_ days: Int64) -> Timestamp { Timestamp(seconds: t0.seconds + days * 86_400) }

    static let compound = IncidentPlaceKey.compound("320111008002|石桥小区")
    static let building6 = IncidentPlaceKey.building(compound: "320111008002|石桥小区", building: "6")

    func ticket(_ place: IncidentPlaceKey, _ category: String?, day: Int64, recorders: Set<String> = ["W1"],
                source: String = "patrol") -> IncidentEventFacts {
        IncidentEventFacts(sourceKey: "DLQ-2", place: place, category: category, reportedAt: at(day), source: source,
                           recorders: recorders)
    }

    func incident(_ place: IncidentPlaceKey, _ category: String?, sources: Set<String> = ["patrol"],
                  recorders: Set<String> = ["W1"]) -> IncidentCandidate {
        IncidentCandidate(incidentID: 1, place: place, category: category, firstReportedAt: at(0), lastReportedAt: at(0),
                          memberSourceKeys: ["DLQ-1"], sources: sources, recorders: recorders)
    }

    func near(_ days: Double, _ relation: CategoryRelation = .sameClass) -> IncidentLinkDecision {
        .join(incidentID: 1, evidence: IncidentLinkEvidence(rule: .nearInTime, score: (1 - days / 3) * relation.score,
                                                            category: relation))
    }

    @Test func theSameWorkerAtOneCompoundInOneClassWithinDaysIsAFollowUp() {
        #expect(rule.decide(ticket(Self.compound, "MS.01", day: 1), candidates: [incident(Self.building6, "MS.01")]) == near(1))
    }

    @Test func anotherWorkerOfTheSameFeedAtACoarsePlaceStillNeedsASecondSignal() {
        #expect(rule.decide(ticket(Self.compound, "MS.01", day: 1, recorders: ["W2"]),
                            candidates: [incident(Self.building6, "MS.01")]) == .newIncident)
        #expect(rule.decide(ticket(Self.compound, "MS.01", day: 1, recorders: []),
                            candidates: [incident(Self.building6, "MS.01", recorders: [])]) == .newIncident)
    }

    @Test func aFollowUpNeedsTheSameClassAndTheNearWindow() {
        #expect(rule.decide(ticket(Self.compound, "MS.99", day: 1), candidates: [incident(Self.compound, "MS.01")]) == .newIncident)
        #expect(rule.decide(ticket(Self.compound, "MD.01", day: 1), candidates: [incident(Self.compound, "MS.01")]) == .newIncident)
        #expect(rule.decide(ticket(Self.compound, "MS.01", day: 4), candidates: [incident(Self.compound, "MS.01")]) == .newIncident)
    }

    @Test func aDomainOnlyCategoryBesideItsClassJoinsAnotherFeedWithinDays() {
        let patrol = incident(Self.compound, "AQ.01", recorders: [])
        #expect(rule.decide(ticket(Self.compound, "AQ", day: 1, recorders: [], source: "hotline"),
                            candidates: [patrol]) == near(1, .coarser))
        #expect(rule.decide(ticket(Self.compound, "AQ", day: 4, recorders: [], source: "hotline"), candidates: [patrol])
            == .newIncident)
    }

    @Test func aDomainOnlyCategoryNeverJoinsAnotherDomain() {
        #expect(rule.decide(ticket(Self.compound, "CG", day: 1, recorders: [], source: "hotline"),
                            candidates: [incident(Self.compound, "AQ.01", recorders: [])]) == .newIncident)
    }
}
