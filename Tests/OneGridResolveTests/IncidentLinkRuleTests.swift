import OneGridModel
import Testing
@testable import OneGridResolve

@Suite struct IncidentLinkRuleTests {
    let rule = IncidentLinkRule(categories: CategoryCompatibility())
    let day: Int64 = 86_400
    let t0 = Timestamp(beijingYear: 2024, month: 5, day: 1)!
    func at(_ days: Int64) -> Timestamp { Timestamp(seconds: t0.seconds + days * day) }

    static let compound = IncidentPlaceKey.compound("320116006001|华城名府")
    static let building3 = IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "3")

    /// An incident first reported by the patrol feed (so a hotline event is another feed).
    func incident(_ id: Int64, _ place: IncidentPlaceKey? = .standardAddress("A001"), _ category: String? = "HB.01",
                  first: Int64 = 0, last: Int64 = 0, members: Set<String> = ["H-1"], sources: Set<String> = ["patrol"],
                  people: Set<String> = [], terms: DistinctiveTerms = DistinctiveTerms()) -> IncidentCandidate {
        IncidentCandidate(incidentID: id, place: place, category: category, firstReportedAt: at(first),
                          lastReportedAt: at(last), memberSourceKeys: members, sources: sources, people: people, terms: terms)
    }

    func event(_ place: IncidentPlaceKey? = .standardAddress("A001"), _ category: String? = "HB.01", day d: Int64 = 5,
               repeatOf: String? = nil, key: String = "P-7", source: String? = "hotline", people: Set<String> = [],
               terms: DistinctiveTerms = DistinctiveTerms()) -> IncidentEventFacts {
        IncidentEventFacts(sourceKey: key, place: place, category: category, reportedAt: at(d), repeatOf: repeatOf,
                           source: source, people: people, terms: terms)
    }

    func join(_ id: Int64, _ rule: IncidentLinkReason, _ score: Double, _ category: CategoryRelation? = .sameClass) -> IncidentLinkDecision {
        .join(incidentID: id, evidence: IncidentLinkEvidence(rule: rule, score: score, category: category))
    }

    // MARK: specific place

    @Test func aSpecificPlaceSharedWithAnotherFeedJoins() {
        #expect(rule.decide(event(), candidates: [incident(1)]) == join(1, .specificPlace, 1))
    }

    @Test func categoriesOfOneClassAreTheSameClass() {
        #expect(rule.decide(event(.standardAddress("A001"), "HB.01.07"), candidates: [incident(1, .standardAddress("A001"), "HB.01.03")])
            == join(1, .specificPlace, 1))
        #expect(IncidentLinkRule.related("HB.01", "HB.01"))
        #expect(!IncidentLinkRule.related("HB.01", "HB.02"))
        #expect(!IncidentLinkRule.related("HB", "HB.01"))
        #expect(!IncidentLinkRule.related(nil, "HB.01"))
    }

    @Test func aCatchAllClassJoinsASpecificClassOfItsDomain() {
        #expect(rule.decide(event(.standardAddress("A001"), "CG.99"), candidates: [incident(1, .standardAddress("A001"), "CG.04")])
            == join(1, .specificPlace, 0.7, .catchAll))
    }

    @Test func aDeclaredRelatedPairJoins() {
        let related = IncidentLinkRule(categories: CategoryCompatibility(related: [("CG.01", "CG.03")]))
        #expect(related.decide(event(.standardAddress("A001"), "CG.03"), candidates: [incident(1, .standardAddress("A001"), "CG.01")])
            == join(1, .specificPlace, 0.8, .related))
        #expect(rule.decide(event(.standardAddress("A001"), "CG.03"), candidates: [incident(1, .standardAddress("A001"), "CG.01")])
            == .newIncident)
    }

    @Test func anotherClassOfTheDomainMakesANewIncident() {
        #expect(rule.decide(event(.standardAddress("A001"), "HB.02"), candidates: [incident(1)]) == .newIncident)
    }

    @Test func anotherDomainNeverJoinsEvenWithTheSamePerson() {
        let e = event(.standardAddress("A001"), "MD.99", people: ["p1"])
        #expect(rule.decide(e, candidates: [incident(1, .standardAddress("A001"), "CG.99", people: ["p1"])]) == .newIncident)
    }

    @Test func anotherPlaceMakesANewIncident() {
        #expect(rule.decide(event(.standardAddress("A002"), people: ["p1"]), candidates: [incident(1, people: ["p1"])]) == .newIncident)
    }

    // MARK: unknown category

    @Test func anUnknownCategoryDoesNotJoinOnPlaceAlone() {
        #expect(rule.decide(event(.standardAddress("A001"), nil), candidates: [incident(1)]) == .newIncident)
        #expect(rule.decide(event(), candidates: [incident(1, .standardAddress("A001"), nil)]) == .newIncident)
    }

    @Test func anUnknownCategoryJoinsOnASpecificPlaceWithASecondSignal() {
        let e = event(.standardAddress("A001"), nil, people: ["p1"])
        #expect(rule.decide(e, candidates: [incident(1, people: ["p1"])]) == join(1, .samePerson, 0.5, .unknown))
    }

    @Test func anUnknownCategoryAtACoarsePlaceNeverJoins() {
        let e = event(Self.compound, nil, people: ["p1"])
        #expect(rule.decide(e, candidates: [incident(1, Self.compound, people: ["p1"])]) == .newIncident)
    }

    // MARK: within one feed

    @Test func sameFeedNeighboursNeedASecondSignal() {
        let hotlineOnly = incident(1, sources: ["hotline"])
        #expect(rule.decide(event(), candidates: [hotlineOnly]) == .newIncident)
        #expect(rule.decide(event(people: ["p1"]), candidates: [incident(1, sources: ["hotline"], people: ["p1"])])
            == join(1, .samePerson, 1))
    }

    @Test func sameFeedPlaceJoinsCanBeAllowed() {
        let lenient = IncidentLinkRule(categories: CategoryCompatibility(), sameFeedNeedsSecondSignal: false)
        #expect(lenient.decide(event(), candidates: [incident(1, sources: ["hotline"])]) == join(1, .specificPlace, 1))
        #expect(lenient.decide(event(Self.compound), candidates: [incident(1, Self.compound, sources: ["hotline"])]) == .newIncident)
    }

    @Test func anIncidentHoldingAnotherFeedJoinsOnASpecificPlace() {
        #expect(rule.decide(event(), candidates: [incident(1, sources: ["hotline", "patrol"])]) == join(1, .specificPlace, 1))
    }

    @Test func unknownFeedsKeepThePlaceJoin() {
        #expect(rule.decide(event(source: nil), candidates: [incident(1, sources: ["hotline"])]) == join(1, .specificPlace, 1))
        #expect(rule.decide(event(), candidates: [incident(1, sources: [])]) == join(1, .specificPlace, 1))
    }

    // MARK: coarse places

    @Test func aCompoundAloneIsNotEnough() {
        #expect(rule.decide(event(Self.compound), candidates: [incident(1, Self.compound)]) == .newIncident)
    }

    @Test func aCompoundAndTheSamePersonJoin() {
        #expect(rule.decide(event(Self.compound, people: ["p1", "p2"]), candidates: [incident(1, Self.compound, people: ["p2"])])
            == join(1, .samePerson, 1))
    }

    @Test func aCompoundAndCloseTextJoin() {
        let extractor = TermExtractor()
        let mine = extractor.terms(in: ["反映华城名府老王烧烤店油烟问题", "楼下老王烧烤店油烟直排"], excludingPlace: ["华城名府"])
        let theirs = extractor.terms(in: ["老王烧烤店每晚油烟很大"])
        #expect(mine.terms == ["$老王烧烤店", "府老", "老王"])
        #expect(theirs.terms == ["$老王烧烤店", "老王", "每晚", "很大"])
        // Shared: the name (2) and one bigram (0.5); the smaller side weighs 2 + 0.5 + 0.5.
        #expect(rule.decide(event(Self.compound, terms: mine), candidates: [incident(1, Self.compound, terms: theirs)])
            == join(1, .closeText, 2.5 / 3.0))
    }

    @Test func commonWordsAreNotCloseText() {
        let extractor = TermExtractor()
        let mine = extractor.terms(in: ["来电人反映：楼下饭店油烟直排，家里不能开窗。诉求：请尽快处理。"])
        let theirs = extractor.terms(in: ["来电人反映：烧烤店油烟很大，没有安装油烟净化设备。诉求：请相关部门尽快核实处理。"])
        #expect(mine.sharedWeight(with: theirs) == 0)
        #expect(rule.decide(event(Self.compound, terms: mine), candidates: [incident(1, Self.compound, terms: theirs)]) == .newIncident)
    }

    @Test func aBuildingAndItsCompoundRelateButNeedASecondSignal() {
        #expect(rule.decide(event(Self.compound), candidates: [incident(1, Self.building3)]) == .newIncident)
        #expect(rule.decide(event(Self.building3), candidates: [incident(1, Self.compound)]) == .newIncident)
        #expect(rule.decide(event(Self.building3, people: ["p1"]), candidates: [incident(1, Self.compound, people: ["p1"])])
            == join(1, .samePerson, 1))
    }

    @Test func twoBuildingsOfOneCompoundAreTwoPlaces() {
        let b5 = IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "5")
        #expect(!Self.building3.relates(to: b5))
        #expect(!Self.building3.relates(to: .compound("320116006001|金城花园")))
        #expect(!IncidentPlaceKey.standardAddress("A001").relates(to: .compound("A001")))
        #expect(rule.decide(event(b5, people: ["p1"]), candidates: [incident(1, Self.building3, people: ["p1"])]) == .newIncident)
    }

    @Test func aDoorNumberIsSpecificACompoundOrRoadIsNot() {
        #expect(IncidentPlaceKey.compound("320116006001|延安路18号").isSpecific)
        #expect(!IncidentPlaceKey.compound("320116006001|延安路").isSpecific)
        #expect(!Self.compound.isSpecific)
        #expect(!IncidentPlaceKey.compound("320116006001|号").isSpecific)
        #expect(Self.building3.isSpecific)
        #expect(IncidentPlaceKey.standardAddress("A001").isSpecific)
        let door = IncidentPlaceKey.compound("320116006001|延安路18号")
        #expect(rule.decide(event(door), candidates: [incident(1, door)]) == join(1, .specificPlace, 1))
    }

    // MARK: near in time

    @Test func anotherFeedAtACoarsePlaceJoinsWithinDaysInTheSameClass() {
        // A patrol ticket naming only the compound and a call naming the building, a day apart.
        #expect(rule.decide(event(Self.building3, day: 1), candidates: [incident(1, Self.compound)])
            == join(1, .nearInTime, 1 - 1.0 / 3))
        #expect(rule.decide(event(Self.compound, day: 3), candidates: [incident(1, Self.compound)]) == join(1, .nearInTime, 0))
        #expect(rule.decide(event(Self.compound, day: 4), candidates: [incident(1, Self.compound)]) == .newIncident)
    }

    @Test func nearInTimeNeedsTheSameClass() {
        #expect(rule.decide(event(Self.compound, "HB.99", day: 1), candidates: [incident(1, Self.compound, "HB.01")]) == .newIncident)
        #expect(rule.decide(event(Self.compound, nil, day: 1), candidates: [incident(1, Self.compound)]) == .newIncident)
    }

    @Test func theSameFeedJoinsWithinDaysOnlyAtOneSpecificPlace() {
        let hotlineOnly = incident(1, sources: ["hotline"])
        #expect(rule.decide(event(day: 2), candidates: [hotlineOnly]) == join(1, .nearInTime, 1 - 2.0 / 3))
        #expect(rule.decide(event(Self.compound, day: 1), candidates: [incident(1, Self.compound, sources: ["hotline"])])
            == .newIncident)
    }

    @Test func nearnessComesAfterAPlaceOrAPerson() {
        let near = incident(1, Self.compound, first: 5, last: 5)
        let sameBuilding = incident(2, Self.building3, first: 0, last: 0)
        #expect(rule.decide(event(Self.building3), candidates: [near, sameBuilding]) == join(2, .specificPlace, 1))
    }

    @Test func nearnessCanBeTurnedOff() {
        let off = IncidentLinkRule(categories: CategoryCompatibility(), nearDays: 0)
        #expect(off.decide(event(Self.compound, day: 0), candidates: [incident(1, Self.compound)]) == .newIncident)
    }

    // MARK: time, repeats, order

    @Test func allReportsOfAnIncidentLieWithinOneWindow() {
        let i = incident(1, first: 0, last: 20)
        #expect(rule.decide(event(day: 30), candidates: [i]) == join(1, .specificPlace, 1))
        #expect(rule.decide(event(day: 31), candidates: [i]) == .newIncident)
    }

    @Test func aLateLoadedEarlierReportJoinsWithinTheWindow() {
        let i = incident(1, first: 40, last: 45)
        #expect(rule.decide(event(day: 15), candidates: [i]) == join(1, .specificPlace, 1))
        #expect(rule.decide(event(day: 14), candidates: [i]) == .newIncident)
    }

    @Test func windowIsConfigurable() {
        let week = IncidentLinkRule(windowDays: 7, categories: CategoryCompatibility())
        #expect(week.decide(event(day: 8), candidates: [incident(1)]) == .newIncident)
        #expect(week.decide(event(day: 7), candidates: [incident(1)]) == join(1, .specificPlace, 1))
    }

    @Test func placeKeyPrefersTheStandardAddress() {
        #expect(IncidentPlaceKey(standardAddressID: "A001", compoundKey: "x|y") == .standardAddress("A001"))
        #expect(IncidentPlaceKey(standardAddressID: nil, compoundKey: "x|y") == .compound("x|y"))
        #expect(IncidentPlaceKey(standardAddressID: nil, compoundKey: nil) == nil)
    }

    @Test func explicitRepeatAlwaysJoins() {
        let far = event(.standardAddress("A999"), "ZZ.99", day: 400, repeatOf: "H-1")
        #expect(rule.decide(far, candidates: [incident(1, sources: ["hotline"])]) == join(1, .explicitRepeat, 1, nil))
    }

    @Test func anAlreadyMemberEventStays() {
        let again = event(.standardAddress("A999"), "ZZ.99", day: 400, key: "H-1")
        #expect(rule.decide(again, candidates: [incident(1)]) == join(1, .alreadyMember, 1, nil))
    }

    @Test func noPlaceMakesANewIncident() {
        #expect(rule.decide(event(nil, people: ["p1"]), candidates: [incident(1, nil, people: ["p1"])]) == .newIncident)
    }

    @Test func theNearestIncidentInTimeWins() {
        let older = incident(1, first: 0, last: 2)
        let newer = incident(2, first: 9, last: 12)
        #expect(rule.decide(event(day: 10), candidates: [older, newer]) == join(2, .specificPlace, 1))
    }

    @Test func aSecondSignalWinsOverPlaceAlone() {
        let byPlace = incident(1, first: 5, last: 5)
        let byPerson = incident(2, first: 0, last: 0, people: ["p1"])
        #expect(rule.decide(event(people: ["p1"]), candidates: [byPlace, byPerson]) == join(2, .samePerson, 1))
    }

    @Test func theCloserCategoryWinsOverTheNearerTime() {
        let catchAll = incident(1, .standardAddress("A001"), "HB.99", first: 5, last: 5)
        let sameClass = incident(2, .standardAddress("A001"), "HB.01", first: 0, last: 0)
        #expect(rule.decide(event(), candidates: [catchAll, sameClass]) == join(2, .specificPlace, 1))
    }

    // MARK: the rule before #14, until the pipeline is wired

    @Test func theOldRuleJoinsOnPlaceAndClassAlone() {
        let old = IncidentLinkRule(windowDays: 30)
        #expect(old == .placeAndClass(windowDays: 30))
        #expect(old.decide(event(Self.compound), candidates: [incident(1, Self.building3, sources: ["hotline"])])
            == join(1, .placeAndClass, 1))
        #expect(old.decide(event(.standardAddress("A001"), "HB.99"), candidates: [incident(1)]) == .newIncident)
        #expect(old.decide(event(.standardAddress("A001"), nil, people: ["p1"]), candidates: [incident(1, people: ["p1"])]) == .newIncident)
    }
}
