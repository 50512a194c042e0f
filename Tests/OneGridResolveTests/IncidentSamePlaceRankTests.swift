import OneGridModel
import Testing
@testable import OneGridResolve

/// Issue #14: a report qualifying for two incidents joins the one at its own specific place
/// before one nearby (a compound's other building, the compound) that only shares words with it.
@Suite struct IncidentSamePlaceRankTests {
    let rule = IncidentLinkRule(categories: CategoryCompatibility())
    let t0 = Timestamp(beijingYear: 2024, month: 5, day: 1)!
    func at(_ hours: Int64) -> Timestamp { Timestamp(seconds: t0.seconds + hours * 3_600) }

    static let compound = IncidentPlaceKey.compound("320116007001|古棠苑")
    static let building14 = IncidentPlaceKey.building(compound: "320116007001|古棠苑", building: "14")

    func petition(_ place: IncidentPlaceKey) -> IncidentEventFacts {
        IncidentEventFacts(sourceKey: "XF-1", place: place, category: "CG.03", reportedAt: at(30), source: "petition",
                           terms: DistinctiveTerms(["$古棠苑物业公司"]))
    }

    func incident(_ id: Int64, _ place: IncidentPlaceKey, terms: Set<String> = []) -> IncidentCandidate {
        IncidentCandidate(incidentID: id, place: place, category: "CG.03", firstReportedAt: at(0), lastReportedAt: at(2),
                          memberSourceKeys: ["H\(id)"], sources: ["hotline12345"], terms: DistinctiveTerms(terms))
    }

    @Test func theEventsOwnSpecificPlaceWinsOverCloseTextAtACoarsePlace() {
        let atAddress = incident(2, Self.building14)
        let nearbyWithWords = incident(1, Self.compound, terms: ["$古棠苑物业公司"])
        #expect(rule.decide(petition(Self.building14), candidates: [nearbyWithWords, atAddress])
            == .join(incidentID: 2, evidence: IncidentLinkEvidence(rule: .specificPlace, score: 1, category: .sameClass)))
    }

    @Test func atACoarsePlaceCloseTextStillWins() {
        // The event names only the compound: no candidate is at its own specific place.
        let building = incident(2, Self.building14)
        let withWords = incident(1, Self.compound, terms: ["$古棠苑物业公司"])
        guard case let .join(id, evidence) = rule.decide(petition(Self.compound), candidates: [building, withWords]) else {
            Issue.record("no join")
            return
        }
        #expect(id == 1 && evidence.rule == .closeText)
    }
}
