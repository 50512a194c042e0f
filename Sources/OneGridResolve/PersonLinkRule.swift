import OneGridModel

/// An existing person found by a token lookup, with the tokens the warehouse holds for them.
public struct PersonCandidate: Sendable, Hashable {
    public var personID: Int64
    public var keys: PersonKeys

    public init(personID: Int64, keys: PersonKeys) {
        self.personID = personID
        self.keys = keys
    }
}

/// Which token linked a party to a person.
public enum PersonLinkReason: String, Sendable, Hashable, Codable {
    case idToken
    case phoneToken
    case namePhoneToken
}

/// The outcome of `PersonLinkRule.decide`.
public enum PersonLinkDecision: Sendable, Hashable {
    /// The party is this existing person.
    case link(personID: Int64, by: PersonLinkReason)
    /// No candidate qualifies: create a new person from the party's keys.
    case newPerson
}

/// Whether a party of a new record is a person the warehouse already knows.
///
/// The warehouse looks candidates up by each of the party's tokens and hands them all in; the
/// rule, in order:
/// 1. **ID token**: a candidate with the same ID token is the person.
/// 2. **Phone token**: among candidates whose ID token does not contradict the party's (a
///    candidate with a different ID token is never linked), those with the same phone token:
///    one → link; several → only the one(s) that also share the name+phone token, else a new
///    person (a shared family or office phone).
/// 3. **Name+phone token**: a non-contradicting candidate with the same name+phone token.
/// 4. Otherwise a new person. A name alone never links (there is no name token at all), and a
///    party with no token is always new.
/// Several equally good candidates go to the lowest person id, so reloading gives the same answer.
public enum PersonLinkRule {
    public static func decide(party: PersonKeys, candidates: [PersonCandidate]) -> PersonLinkDecision {
        let ordered = candidates.sorted { $0.personID < $1.personID }
        if let id = party.idToken, let hit = ordered.first(where: { $0.keys.idToken == id }) {
            return .link(personID: hit.personID, by: .idToken)
        }
        let compatible = ordered.filter { c in
            !(party.idToken != nil && c.keys.idToken != nil && c.keys.idToken != party.idToken)
        }
        if let phone = party.phoneToken {
            let samePhone = compatible.filter { $0.keys.phoneToken == phone }
            if samePhone.count == 1 { return .link(personID: samePhone[0].personID, by: .phoneToken) }
            if samePhone.count > 1 {
                if let np = party.namePhoneToken, let hit = samePhone.first(where: { $0.keys.namePhoneToken == np }) {
                    return .link(personID: hit.personID, by: .namePhoneToken)
                }
                return .newPerson
            }
        }
        if let np = party.namePhoneToken, let hit = compatible.first(where: { $0.keys.namePhoneToken == np }) {
            return .link(personID: hit.personID, by: .namePhoneToken)
        }
        return .newPerson
    }

    /// The other persons a party proves to be the one it was linked to, for the warehouse to
    /// merge into it, so that the order records arrive in never splits a person.
    ///
    /// When a party carries both an ID token and a phone token and was linked by its ID, a
    /// person known by that phone but with no ID token (the same caller seen earlier without
    /// the ID) is that person: the one such candidate, or, when several share the phone (a
    /// family or office phone), those with the party's name+phone token. A candidate with an
    /// ID token is never absorbed: two ID numbers are two people.
    public static func absorbed(party: PersonKeys, linkedTo personID: Int64, candidates: [PersonCandidate]) -> [Int64] {
        guard let id = party.idToken, let phone = party.phoneToken,
              candidates.contains(where: { $0.personID == personID && $0.keys.idToken == id }) else { return [] }
        let samePhone = candidates.filter { $0.personID != personID && $0.keys.idToken == nil && $0.keys.phoneToken == phone }
        if samePhone.count <= 1 { return samePhone.map(\.personID).sorted() }
        guard let np = party.namePhoneToken else { return [] }
        return samePhone.filter { $0.keys.namePhoneToken == np }.map(\.personID).sorted()
    }
}
