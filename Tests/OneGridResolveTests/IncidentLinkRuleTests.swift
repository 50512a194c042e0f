import OneGridModel
import Testing
@testable import OneGridResolve

@Suite struct IncidentLinkRuleTests {
    let rule = IncidentLinkRule()
    let day: Int64 = 86_400
    let t0 = Timestamp(beijingYear: 2024, month: 5, day: 1)!
    func at(_ days: Int64) -> Timestamp { Timestamp(seconds: t0.seconds + days * day) }

    func incident(_ id: String, _ place: IncidentPlaceKey? = .standardAddress("A001"), _ category: String? = "HB.01",
                  first: Int64 = 0, last: Int64 = 0, members: Set<String> = ["H-1"]) -> IncidentCandidate {
        IncidentCandidate(incidentID: id, place: place, category: category, firstReportedAt: at(first),
                          lastReportedAt: at(last), memberSourceKeys: members)
    }

    func event(_ place: IncidentPlaceKey? = .standardAddress("A001"), _ category: String? = "HB.01", day d: Int64 = 5,
               repeatOf: String? = nil, key: String = "P-7") -> IncidentEventFacts {
        IncidentEventFacts(sourceKey: key, place: place, category: category, reportedAt: at(d), repeatOf: repeatOf)
    }

    @Test func samePlaceSameCategoryWithinWindowJoins() {
        #expect(rule.decide(event(), candidates: [incident("I1")]) == .join(incidentID: "I1", by: .samePlaceCategoryWindow))
    }

    @Test func relatedCategoriesShareDomainAndClass() {
        #expect(rule.decide(event(.standardAddress("A001"), "HB.01.07"), candidates: [incident("I1", .standardAddress("A001"), "HB.01.03")])
            == .join(incidentID: "I1", by: .samePlaceCategoryWindow))
        #expect(IncidentLinkRule.related("HB.01", "HB.01"))
        #expect(!IncidentLinkRule.related("HB.01", "HB.02"))
        #expect(!IncidentLinkRule.related("HB", "HB.01"))
        #expect(!IncidentLinkRule.related(nil, "HB.01"))
    }

    @Test func unrelatedCategoryMakesANewIncident() {
        #expect(rule.decide(event(.standardAddress("A001"), "HB.02"), candidates: [incident("I1")]) == .newIncident)
    }

    @Test func missingCategoryMakesANewIncident() {
        #expect(rule.decide(event(.standardAddress("A001"), nil), candidates: [incident("I1")]) == .newIncident)
    }

    @Test func anotherPlaceMakesANewIncident() {
        #expect(rule.decide(event(.standardAddress("A002")), candidates: [incident("I1")]) == .newIncident)
    }

    @Test func allReportsOfAnIncidentLieWithinOneWindow() {
        let i = incident("I1", first: 0, last: 20)
        #expect(rule.decide(event(day: 30), candidates: [i]) == .join(incidentID: "I1", by: .samePlaceCategoryWindow))
        #expect(rule.decide(event(day: 31), candidates: [i]) == .newIncident)
    }

    @Test func aLateLoadedEarlierReportJoinsWithinTheWindow() {
        let i = incident("I1", first: 40, last: 45)
        #expect(rule.decide(event(day: 15), candidates: [i]) == .join(incidentID: "I1", by: .samePlaceCategoryWindow))
        #expect(rule.decide(event(day: 14), candidates: [i]) == .newIncident)
    }

    @Test func windowIsConfigurable() {
        let week = IncidentLinkRule(windowDays: 7)
        #expect(week.decide(event(day: 8), candidates: [incident("I1")]) == .newIncident)
        #expect(week.decide(event(day: 7), candidates: [incident("I1")]) == .join(incidentID: "I1", by: .samePlaceCategoryWindow))
    }

    @Test func coarseAddressesLinkByCompoundKey() {
        let key = IncidentPlaceKey.compound("320116006001|华城名府")
        #expect(rule.decide(event(key), candidates: [incident("I1", key)]) == .join(incidentID: "I1", by: .samePlaceCategoryWindow))
        #expect(rule.decide(event(.standardAddress("320116006001|华城名府")), candidates: [incident("I1", key)]) == .newIncident)
    }

    @Test func placeKeyPrefersTheStandardAddress() {
        #expect(IncidentPlaceKey(standardAddressID: "A001", compoundKey: "x|y") == .standardAddress("A001"))
        #expect(IncidentPlaceKey(standardAddressID: nil, compoundKey: "x|y") == .compound("x|y"))
        #expect(IncidentPlaceKey(standardAddressID: nil, compoundKey: nil) == nil)
    }

    @Test func explicitRepeatAlwaysJoins() {
        let far = event(.standardAddress("A999"), "ZZ.99", day: 400, repeatOf: "H-1")
        #expect(rule.decide(far, candidates: [incident("I1")]) == .join(incidentID: "I1", by: .explicitRepeat))
    }

    @Test func anAlreadyMemberEventStays() {
        let again = event(.standardAddress("A999"), "ZZ.99", day: 400, key: "H-1")
        #expect(rule.decide(again, candidates: [incident("I1")]) == .join(incidentID: "I1", by: .alreadyMember))
    }

    @Test func noPlaceMakesANewIncident() {
        #expect(rule.decide(event(nil), candidates: [incident("I1", nil)]) == .newIncident)
    }

    @Test func theNearestIncidentInTimeWins() {
        let older = incident("I1", first: 0, last: 2)
        let newer = incident("I2", first: 9, last: 12)
        #expect(rule.decide(event(day: 10), candidates: [older, newer]) == .join(incidentID: "I2", by: .samePlaceCategoryWindow))
    }

    @Test func aBuildingAndItsCompoundAreOnePlaceForLinking() {
        let building = IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "3")
        let compound = IncidentPlaceKey.compound("320116006001|华城名府")
        #expect(rule.decide(event(compound), candidates: [incident("I1", building)]) == .join(incidentID: "I1", by: .samePlaceCategoryWindow))
        #expect(rule.decide(event(building), candidates: [incident("I1", compound)]) == .join(incidentID: "I1", by: .samePlaceCategoryWindow))
    }

    @Test func twoBuildingsOfOneCompoundAreTwoPlaces() {
        let b3 = IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "3")
        let b5 = IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "5")
        #expect(!b3.relates(to: b5))
        #expect(!b3.relates(to: .compound("320116006001|金城花园")))
        #expect(!IncidentPlaceKey.standardAddress("A001").relates(to: .compound("A001")))
        #expect(rule.decide(event(b5), candidates: [incident("I1", b3)]) == .newIncident)
    }
}
