import OneGridModel
import Testing
@testable import OneGridResolve

@Suite struct PersonLinkRuleTests {
    func person(_ id: Int64, idT: String? = nil, phone: String? = nil, np: String? = nil, name: String? = nil) -> PersonCandidate {
        PersonCandidate(personID: id, keys: PersonKeys(idToken: idT, phoneToken: phone, namePhoneToken: np, maskedName: name))
    }

    @Test func linksByIDToken() {
        let party = PersonKeys(idToken: "I1", phoneToken: "P9")
        let d = PersonLinkRule.decide(party: party, candidates: [person(2, phone: "P9"), person(1, idT: "I1")])
        #expect(d == .link(personID: 1, by: .idToken))
    }

    @Test func linksByPhoneTokenWhenOneCandidateHasIt() {
        let d = PersonLinkRule.decide(party: PersonKeys(phoneToken: "P1"), candidates: [person(1, phone: "P1")])
        #expect(d == .link(personID: 1, by: .phoneToken))
    }

    @Test func severalOnOnePhoneAreSettledByNameAndPhone() {
        let party = PersonKeys(phoneToken: "P1", namePhoneToken: "NP-b")
        let d = PersonLinkRule.decide(party: party, candidates: [person(1, phone: "P1", np: "NP-a"),
                                                                  person(2, phone: "P1", np: "NP-b")])
        #expect(d == .link(personID: 2, by: .namePhoneToken))
    }

    @Test func severalOnOnePhoneWithNoNameMatchMakeANewPerson() {
        let party = PersonKeys(phoneToken: "P1", namePhoneToken: "NP-c")
        let d = PersonLinkRule.decide(party: party, candidates: [person(1, phone: "P1", np: "NP-a"),
                                                                  person(2, phone: "P1", np: "NP-b")])
        #expect(d == .newPerson)
    }

    @Test func aCandidateWithAnotherIDIsNeverLinked() {
        let party = PersonKeys(idToken: "I1", phoneToken: "P1", namePhoneToken: "NP")
        let d = PersonLinkRule.decide(party: party, candidates: [person(1, idT: "I2", phone: "P1", np: "NP")])
        #expect(d == .newPerson)
    }

    @Test func aCandidateWithoutIDMayStillLinkByPhone() {
        let party = PersonKeys(idToken: "I1", phoneToken: "P1")
        let d = PersonLinkRule.decide(party: party, candidates: [person(1, idT: "I2", phone: "P1"), person(2, phone: "P1")])
        #expect(d == .link(personID: 2, by: .phoneToken))
    }

    @Test func linksByNameAndPhoneToken() {
        let party = PersonKeys(namePhoneToken: "NP")
        let d = PersonLinkRule.decide(party: party, candidates: [person(1, np: "NP")])
        #expect(d == .link(personID: 1, by: .namePhoneToken))
    }

    @Test func neverByNameAlone() {
        let party = PersonKeys(maskedName: "张*")
        #expect(PersonLinkRule.decide(party: party, candidates: [person(1, name: "张*")]) == .newPerson)
    }

    @Test func noCandidatesMakeANewPerson() {
        #expect(PersonLinkRule.decide(party: PersonKeys(idToken: "I1"), candidates: []) == .newPerson)
    }

    @Test func duplicatesGoToTheLowestID() {
        let d = PersonLinkRule.decide(party: PersonKeys(idToken: "I1"), candidates: [person(9, idT: "I1"), person(3, idT: "I1")])
        #expect(d == .link(personID: 3, by: .idToken))
    }

    @Test func aPartyWithIDAndPhoneAbsorbsThePersonKnownOnlyByThatPhone() {
        let party = PersonKeys(idToken: "I1", phoneToken: "P1", namePhoneToken: "NP")
        let candidates = [person(1, phone: "P1", np: "NP"), person(2, idT: "I1")]
        #expect(PersonLinkRule.decide(party: party, candidates: candidates) == .link(personID: 2, by: .idToken))
        #expect(PersonLinkRule.absorbed(party: party, linkedTo: 2, candidates: candidates) == [1])
    }

    @Test func aPersonWithAnotherIDIsNeverAbsorbed() {
        let party = PersonKeys(idToken: "I1", phoneToken: "P1", namePhoneToken: "NP")
        let candidates = [person(1, idT: "I2", phone: "P1", np: "NP"), person(2, idT: "I1")]
        #expect(PersonLinkRule.absorbed(party: party, linkedTo: 2, candidates: candidates) == [])
    }

    @Test func severalPersonsOnTheSharedPhoneAreAbsorbedOnlyWithTheSameNameAndPhone() {
        let party = PersonKeys(idToken: "I1", phoneToken: "P1", namePhoneToken: "NP-b")
        let candidates = [person(1, phone: "P1", np: "NP-a"), person(2, phone: "P1", np: "NP-b"), person(3, idT: "I1")]
        #expect(PersonLinkRule.absorbed(party: party, linkedTo: 3, candidates: candidates) == [2])
    }

    @Test func nothingIsAbsorbedWithoutAnIDLink() {
        let party = PersonKeys(phoneToken: "P1", namePhoneToken: "NP")
        let candidates = [person(1, phone: "P1", np: "NP"), person(2, phone: "P1")]
        #expect(PersonLinkRule.absorbed(party: party, linkedTo: 1, candidates: candidates) == [])
        let withID = PersonKeys(idToken: "I1", phoneToken: "P1")
        #expect(PersonLinkRule.absorbed(party: withID, linkedTo: 1, candidates: candidates) == [])
    }
}
