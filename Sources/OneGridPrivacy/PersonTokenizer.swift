import Crypto
import Foundation
import OneGridModel

/// Turns the clear identifiers of a party into keyed tokens and masked display forms: the
/// only form in which people reach the warehouse.
public struct PersonTokenizer: Sendable {
    /// The HMAC with its key already absorbed: each token starts from a copy of it instead
    /// of hashing the key again (a third of a token's cost).
    private let keyed: HMAC<SHA256>

    public init(key: PIIKey) {
        keyed = HMAC<SHA256>(key: key.derived("person tokens"))
    }

    /// HMAC-SHA256 of a normalised value under a domain label, 32 hex characters (128 bits:
    /// collisions are negligible at any city's population).
    public func token(_ domain: String, _ value: String) -> String {
        var mac = keyed
        var domain = domain, value = value
        domain.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        mac.update(data: [0])
        value.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return Hex.encode(mac.finalize().prefix(16))
    }

    public func idToken(_ id: String) -> String { token("id", id) }
    public func phoneToken(_ phone: String) -> String { token("phone", phone) }

    /// The name is compared after white space is removed; full-width forms are folded.
    public func namePhoneToken(name: String, phone: String) -> String {
        token("name+phone", TextNormalization.compact(name) + "\u{1F}" + phone)
    }

    /// Tokens and masked forms of one party.
    public func keys(for party: PartyDraft) -> PersonKeys {
        let name = party.name.flatMap { TextNormalization.clean($0) }
        var keys = PersonKeys()
        if let id = party.idNumber?.value {
            keys.idToken = idToken(id)
            keys.maskedID = IDNumber.mask(id)
        }
        if let phone = party.phone?.value {
            keys.phoneToken = phoneToken(phone)
            keys.maskedPhone = PhoneNumber.mask(phone)
            if let name { keys.namePhoneToken = namePhoneToken(name: name, phone: phone) }
        }
        if let name { keys.maskedName = NameMask.mask(name) }
        return keys
    }
}
