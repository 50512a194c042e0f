import OneGridModel

/// The canonical JSON of a mapped event — the bytes its content hash is taken over and the
/// payload sealed into `event_version` — written straight into a byte buffer. The output is
/// byte-for-byte what `JSONEncoder` with `.sortedKeys` writes for `EventDraft` (a test holds
/// it to that on every sample record), so hashes of warehouses loaded before stay valid, at
/// a fraction of the cost of the generic encoder.
public enum DraftJSON {
    public static func encode(_ d: EventDraft) -> [UInt8] {
        var w = JSONBytes()
        w.bytes.reserveCapacity(1024)
        w.open()
        w.string("category", d.category)
        w.string("channel", d.channel)
        w.timestamp("closedAt", d.closedAt)
        w.string("content", d.content)
        w.timestamp("dispatchedAt", d.dispatchedAt)
        w.string("givenGridCode", d.givenGridCode)
        w.string("handlingUnit", d.handlingUnit)
        w.int("headcount", d.headcount)
        w.bool("isRepeat", d.isRepeat)
        w.bool("isVoided", d.isVoided)
        w.string("nature", d.nature)
        w.key("parties")
        w.bytes.append(UInt8(ascii: "["))
        for (i, p) in d.parties.enumerated() {
            if i > 0 { w.bytes.append(UInt8(ascii: ",")) }
            party(p, into: &w)
        }
        w.bytes.append(UInt8(ascii: "]"))
        w.key("place")
        place(d.place, into: &w)
        w.string("repeatOf", d.repeatOf)
        w.timestamp("reportedAt", d.reportedAt)
        w.string("result", d.result)
        w.string("satisfaction", d.satisfaction?.rawValue)
        w.bool("selfResolved", d.selfResolved)
        w.string("source", d.source)
        w.string("sourceCategory", d.sourceCategory)
        w.string("sourceCategoryCode", d.sourceCategoryCode)
        w.string("sourceKey", d.sourceKey)
        w.string("sourceStatus", d.sourceStatus)
        w.string("status", d.status?.rawValue)
        w.key("steps")
        w.bytes.append(UInt8(ascii: "["))
        for (i, s) in d.steps.enumerated() {
            if i > 0 { w.bytes.append(UInt8(ascii: ",")) }
            w.open()
            w.string("action", s.action)
            w.timestamp("at", s.at)
            w.string("result", s.result)
            w.string("unit", s.unit)
            w.close()
        }
        w.bytes.append(UInt8(ascii: "]"))
        w.string("title", d.title)
        w.string("urgency", d.urgency)
        w.timestamp("versionAt", d.versionAt)
        w.close()
        return w.bytes
    }

    static func party(_ p: PartyDraft, into w: inout JSONBytes) {
        w.open()
        if let id = p.idNumber { w.key("idNumber"); w.open(); w.string("value", id.value); w.close() }
        w.bool("isLead", p.isLead)
        w.string("name", p.name)
        if let phone = p.phone { w.key("phone"); w.open(); w.string("value", phone.value); w.close() }
        w.string("role", p.role)
        w.string("workerID", p.workerID)
        w.close()
    }

    static func place(_ p: PlaceDraft, into w: inout JSONBytes) {
        w.open()
        w.string("address", p.address)
        w.string("community", p.community)
        w.string("district", p.district)
        if let point = p.point {
            w.key("point")
            w.open()
            w.string("datum", point.datum.rawValue)
            w.double("lat", point.lat)
            w.double("lng", point.lng)
            w.close()
        }
        w.string("street", p.street)
        w.close()
    }
}

/// A JSON object writer over bytes: keys in the order given, absent optionals left out
/// (as the synthesised `Codable` conformances do), strings escaped as `JSONEncoder` does.
struct JSONBytes {
    var bytes: [UInt8] = []
    /// Whether the innermost open object has no member yet.
    private var empty = false

    mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        empty = true
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        empty = false
    }

    mutating func key(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        quoted(value)
    }

    mutating func bool(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    mutating func int(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func timestamp(_ name: StaticString, _ value: Timestamp?) {
        guard let value else { return }
        key(name)
        open()
        key("seconds")
        bytes.append(contentsOf: String(value.seconds).utf8)
        close()
    }

    /// Shortest round-trip form, without a trailing `.0`, as `JSONEncoder` writes it.
    mutating func double(_ name: StaticString, _ value: Double) {
        key(name)
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var copy = value
        copy.withUTF8 { utf8 in
            var start = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "/") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                start = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(b)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: Array("u00".utf8))
                    bytes.append(Self.hexDigits[Int(b >> 4)])
                    bytes.append(Self.hexDigits[Int(b & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
