import Foundation
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// Renders the people of events and the person table at the chosen PII level: masked
/// forms, keyed tokens, or clear values opened from sealed current-version payloads.
final class PIIRenderer {
    let level: PIILevel
    private let sealer: RecordSealer?
    private let tokenizer: PersonTokenizer?
    private let decoder = JSONDecoder()

    /// People of one event: `role:value` entries joined by `; `, in party order.
    struct People {
        var names: ExportValue
        var phones: ExportValue
        var ids: ExportValue
    }

    init(level: PIILevel, key: PIIKey?) throws(ExportError) {
        self.level = level
        if level == .clear {
            guard let key else { throw .clearNeedsKey }
            sealer = RecordSealer(key: key)
            tokenizer = PersonTokenizer(key: key)
        } else {
            sealer = nil
            tokenizer = nil
        }
    }

    static func joined(_ entries: [(String, String?)]) -> ExportValue {
        let parts = entries.compactMap { role, value in value.flatMap { $0.isEmpty ? nil : "\(role):\($0)" } }
        return parts.isEmpty ? .null : .string(parts.joined(separator: "; "))
    }

    /// The people of one event at `.clear`, opened from its sealed current payload. The
    /// other levels read the party table in one pass instead (`TableReader.eventBlocks`).
    func people(_ reader: TableReader, _ event: EventVersionKey) throws -> People {
        let draft = try currentDraft(reader, event)
        let parties = draft.parties
        return People(names: Self.joined(parties.map { ($0.role, $0.name) }),
                      phones: Self.joined(parties.map { ($0.role, $0.phone?.value) }),
                      ids: Self.joined(parties.map { ($0.role, $0.idNumber?.value) }))
    }

    /// Name, ID number and phone of a person at this level.
    func person(_ reader: TableReader, id: Int64, forms: PersonForms) throws -> (name: ExportValue, idNumber: ExportValue, phone: ExportValue) {
        let idToken = forms.idToken
        let phoneToken = forms.phoneToken
        let namePhone = forms.namePhoneToken
        switch level {
        case .masked:
            return (.string(forms.maskedName), .string(forms.maskedID), .string(forms.maskedPhone))
        case .token:
            return (.string(idToken ?? namePhone ?? phoneToken), .string(idToken), .string(phoneToken))
        case .clear:
            guard let tokenizer else { throw ExportError.clearNeedsKey }
            // Any event naming the person carries their clear values in its payload; the
            // party is recognised by recomputing its tokens.
            for event in try reader.eventsNaming(personID: id, limit: 20) {
                let draft = try currentDraft(reader, event)
                for party in draft.parties {
                    let keys = tokenizer.keys(for: party)
                    let same = (idToken != nil && keys.idToken == idToken)
                        || (idToken == nil && namePhone != nil && keys.namePhoneToken == namePhone)
                        || (idToken == nil && namePhone == nil && phoneToken != nil && keys.phoneToken == phoneToken)
                    if same {
                        return (.string(party.name), .string(party.idNumber?.value), .string(party.phone?.value))
                    }
                }
            }
            // A person no loaded event names in clear (a roster worker, or one whose events
            // were replaced) keeps the masked forms, marked so nobody takes them for clear.
            let mark = "（无明文）"
            return (.string(forms.maskedName.map { $0 + mark }), .string(forms.maskedID.map { $0 + mark }),
                    .string(forms.maskedPhone.map { $0 + mark }))
        }
    }

    /// The clear text of a sealed reject record.
    func openRaw(_ blob: [UInt8], feed: String, rejectID: Int64) throws -> ExportValue {
        guard level == .clear, let sealer else { return .null }
        do {
            return .string(String(decoding: try sealer.open(blob), as: UTF8.self))
        } catch {
            throw ExportError.clearPayloadUnreadable(source: feed, sourceKey: "reject \(rejectID)")
        }
    }

    private func currentDraft(_ reader: TableReader, _ event: EventVersionKey) throws -> EventDraft {
        guard let sealer else { throw ExportError.clearNeedsKey }
        guard let blob = try reader.sealedPayload(eventID: event.eventID, contentHash: event.contentHash) else {
            throw ExportError.clearPayloadMissing(source: event.source, sourceKey: event.sourceKey)
        }
        do {
            let json = try sealer.open(blob)
            return try decoder.decode(EventDraft.self, from: Data(json))
        } catch {
            throw ExportError.clearPayloadUnreadable(source: event.source, sourceKey: event.sourceKey)
        }
    }
}
