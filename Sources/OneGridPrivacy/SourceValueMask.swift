import OneGridModel

/// What a source field holds, as far as showing its value to people is concerned: the
/// mapping knows it from the field's target (party name, phone, ID number, anything else).
public enum SourceValueKind: String, Sendable, Hashable, CaseIterable {
    /// A person's name: masked as the model masks names (`王**`), whatever it holds.
    case personName
    /// A phone field: every digit is taken for part of a number.
    case phone
    /// An ID number field: every digit is taken for part of a number.
    case idNumber
    /// Free text, or any other field (dates, codes, statuses, headers): identifiers in it
    /// are found by `IdentifierScanner` and masked, the rest is shown.
    case text
}

/// The one rule for showing a source value to people: reject messages, findings, unmapped
/// values, header errors, log lines and reports show a value read from a feed only through
/// it. Only `--pii clear` with the key file shows a value whole, and not through this.
///
/// The rule, by kind:
/// - every kind: identifiers are masked in place as `IdentifierScanner.redact` does
///   (`139****5678`, `320***********4788`, `025-****1234`);
/// - `personName`: the model's name mask (`NameMask`: the first character stays);
/// - `phone`, `idNumber`: a damaged number the scanner does not recognise is still a number:
///   of its remaining digits only the last quarter (at most 4) stays (`1391234` → `******4`),
///   and each run of Chinese characters keeps only its first (`王小明` → `王**`: a name in
///   the wrong column);
/// - then values longer than `limit` characters are cut, with a marker saying how much was
///   left out (`…(+120 characters)`), and control characters are escaped as `PrintableText`
///   does, so a shown value always stays on one line.
public struct SourceValueMask: Sendable, Hashable {
    /// Characters shown before a long value is cut.
    public var limit: Int

    public init(limit: Int = 60) {
        precondition(limit > 0, "a shown value keeps at least one character")
        self.limit = limit
    }

    /// The rule with its default length limit.
    public static let standard = SourceValueMask()

    /// The form of `value` that may be shown to people.
    public func show(_ value: String, as kind: SourceValueKind) -> String {
        let masked: String
        switch kind {
        case .personName: masked = Self.maskName(value)
        case .phone, .idNumber: masked = Self.maskNumberField(value)
        case .text: masked = IdentifierScanner.redact(value)
        }
        return PrintableText.escaped(cut(masked))
    }

    /// Cuts after `limit` characters (after masking, so no identifier is ever half shown).
    func cut(_ text: String) -> String {
        // Counting bytes first spares the Character walk for the short values most are.
        guard text.utf8.count > limit else { return text }
        let count = text.count
        guard count > limit else { return text }
        return String(text.prefix(limit)) + "…(+\(count - limit) characters)"
    }

    /// `NameMask` on the cleaned value: the first character stays, so a name field that
    /// holds a phone number or an ID shows only its first digit.
    static func maskName(_ value: String) -> String {
        guard let name = TextNormalization.clean(value) else { return value }
        return NameMask.mask(name)
    }

    static func maskNumberField(_ value: String) -> String {
        let found = IdentifierScanner.matches(in: value)
        let inside: [Range<Int>] = found.map(\.utf8Range)
        var hidden: [Range<Int>] = found.flatMap(\.hidden)
        // Digits outside what the scanner recognised: keep the last quarter, at most 4.
        var loose: [Range<Int>] = []
        var offset = 0
        var matchIndex = 0
        var previousWasHan = false
        for scalar in value.unicodeScalars {
            let length = scalar.utf8.count
            defer { offset += length }
            while matchIndex < inside.count, inside[matchIndex].upperBound <= offset { matchIndex += 1 }
            if matchIndex < inside.count, inside[matchIndex].contains(offset) { previousWasHan = false; continue }
            if isDigit(scalar) {
                loose.append(offset ..< offset + length)
            }
            let han = isHan(scalar)
            if han && previousWasHan { hidden.append(offset ..< offset + length) }
            previousWasHan = han
        }
        let visible = min(4, loose.count / 4)
        hidden.append(contentsOf: loose.dropLast(visible))
        guard !hidden.isEmpty else { return value }
        hidden.sort { $0.lowerBound < $1.lowerBound }
        let bytes = Array(value.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var at = 0
        for range in hidden {
            out.append(contentsOf: bytes[at..<range.lowerBound])
            out.append(UInt8(ascii: "*"))
            at = range.upperBound
        }
        out.append(contentsOf: bytes[at...])
        return String(decoding: out, as: UTF8.self)
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(s.value) || (0xFF10...0xFF19).contains(s.value)
    }

    /// CJK unified ideographs, extension A, compatibility ideographs, and the supplementary
    /// planes' extensions.
    static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: return true
        default: return false
        }
    }
}
