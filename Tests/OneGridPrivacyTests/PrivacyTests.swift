import Foundation
import OneGridModel
import OneGridPrivacy
import Testing

@Suite("Person tokens and sealed records")
struct PrivacyTests {
    let key = PIIKey(bytes: Array(repeating: 7, count: 32))
    let otherKey = PIIKey(bytes: Array(repeating: 8, count: 32))

    func party(name: String = "张某某", id: String? = "11010519491231002X", phone: String? = "13800001234") throws -> PartyDraft {
        PartyDraft(role: "caller", name: name, idNumber: try id.map { try IDNumber(parsing: $0) },
                   phone: try phone.map { try PhoneNumber(parsing: $0) })
    }

    @Test("the same person gives the same tokens under one key, different ones under another")
    func deterministicPerKey() throws {
        let a = PersonTokenizer(key: key).keys(for: try party())
        let b = PersonTokenizer(key: key).keys(for: try party())
        let c = PersonTokenizer(key: otherKey).keys(for: try party())
        #expect(a == b)
        #expect(a.idToken != c.idToken && a.phoneToken != c.phoneToken)
        #expect(a.idToken?.count == 32)
    }

    @Test("a 15-digit ID number and its 18-digit form are one token")
    func upgradedIDsMeet() throws {
        let old = PersonTokenizer(key: key).keys(for: try party(id: "340524800101001"))
        let new = PersonTokenizer(key: key).keys(for: try party(id: "34052419800101001X"))
        #expect(old.idToken == new.idToken)
    }

    @Test("masked forms only, and no token from a name alone")
    func masked() throws {
        let keys = PersonTokenizer(key: key).keys(for: try party())
        #expect(keys.maskedName == "张**")
        #expect(keys.maskedID == "110105********002X")
        #expect(keys.maskedPhone == "138****1234")
        let nameOnly = PersonTokenizer(key: key).keys(for: try party(id: nil, phone: nil))
        #expect(!nameOnly.isLinkable)
    }

    @Test("a sealed record opens with its key, deterministically, and not with another")
    func sealing() throws {
        let raw = Array("NJ12345-20200623-000001,张某某,13800001234".utf8)
        let sealed = RecordSealer(key: key).seal(raw)
        #expect(sealed == RecordSealer(key: key).seal(raw))
        #expect(sealed.count == raw.count + 28)
        #expect(try RecordSealer(key: key).open(sealed) == raw)
        #expect(throws: RecordSealer.OpenError.self) { try RecordSealer(key: otherKey).open(sealed) }
    }

    @Test("a key file round-trips, and a world-readable one is refused")
    func keyFile() throws {
        let path = NSTemporaryDirectory() + "onegrid-key-\(UUID().uuidString)"
        try key.write(path: path)
        #expect(try PIIKey.load(path: path).fingerprint == key.fingerprint)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: PIIKey.Problem.tooOpen(path: path, mode: "644")) { try PIIKey.load(path: path) }
    }
}
