/// A resident identity number (公民身份号码, GB 11643-1999), always in its 18-character form.
///
/// Parsing accepts the 18-character form with a valid MOD 11-2 check character and the old
/// 15-digit form, which is upgraded (century `19` inserted, check character appended).
/// The address code is not checked against current division codes: IDs keep historical ones.
public struct IDNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, digits and possibly a final `X`.
    public let value: String

    /// Why a string is not an ID number.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Excel turned the number into floating point (`3.20116E+17`): digits are lost.
        case scientificNotation
        /// Neither 15 digits nor 17 digits plus a check character.
        case badLength(Int)
        /// A character that is not a digit (or a final X).
        case badCharacter
        /// The birth date digits are not a real date.
        case badBirthDate
        /// The check character does not match the first 17 digits.
        case badCheckCharacter(expected: Character, found: Character)

        public var description: String {
            switch self {
            case .scientificNotation: return "ID number in scientific notation (digits lost by Excel)"
            case .badLength(let n): return "ID number has \(n) characters, expected 18 or 15"
            case .badCharacter: return "ID number holds a character other than digits and a final X"
            case .badBirthDate: return "ID number birth date is not a valid date"
            case .badCheckCharacter(let e, let f): return "ID number check character is \(f), expected \(e)"
            }
        }
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = Array("10X98765432")

    /// The MOD 11-2 check character of the first 17 digits.
    public static func checkCharacter(for first17: some Collection<UInt8>) -> Character {
        var sum = 0
        for (digit, weight) in zip(first17, weights) { sum += Int(digit - 48) * weight }
        return checkCharacters[sum % 11]
    }

    /// Parses a raw value: full-width forms, spaces, a leading apostrophe and lowercase `x`
    /// are tolerated; anything else that is wrong is a `Problem`.
    public init(parsing raw: String) throws(Problem) {
        var text = TextNormalization.compact(raw)
        if text.hasPrefix("'") || text.hasPrefix("`") { text.removeFirst() }
        let upper = text.uppercased()
        if upper.contains("E+") || upper.contains("E-") || (upper.contains(".") && upper.count < 15) {
            throw .scientificNotation
        }
        var bytes = Array(upper.utf8)
        if bytes.count == 15 {
            guard bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .badCharacter }
            var upgraded = Array(bytes[0..<6]) + Array("19".utf8) + Array(bytes[6..<15])
            upgraded.append(contentsOf: String(Self.checkCharacter(for: upgraded)).utf8)
            bytes = upgraded
        } else if bytes.count == 18 {
            guard bytes[0..<17].allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  (bytes[17] >= 48 && bytes[17] <= 57) || bytes[17] == UInt8(ascii: "X")
            else { throw .badCharacter }
            let expected = Self.checkCharacter(for: bytes[0..<17])
            let found = Character(Unicode.Scalar(bytes[17]))
            guard expected == found else { throw .badCheckCharacter(expected: expected, found: found) }
        } else {
            throw .badLength(bytes.count)
        }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let year = number(6..<10), month = number(10..<12), day = number(12..<14)
        guard year >= 1880, year <= 2100, CivilDate.isValid(year: year, month: month, day: day) else {
            throw .badBirthDate
        }
        value = String(decoding: bytes, as: UTF8.self)
    }

    /// `320116********123X`: the address code and the last four characters stay visible.
    public var masked: String { Self.mask(value) }

    /// The masked form of a normalised 18-character value.
    public static func mask(_ value: String) -> String {
        String(value.prefix(6)) + String(repeating: "*", count: 8) + String(value.suffix(4))
    }

    /// Digit 17 odd means male.
    public var isMale: Bool {
        let digit = value.utf8[value.utf8.index(value.utf8.startIndex, offsetBy: 16)]
        return (digit - 48) % 2 == 1
    }

    public var description: String { masked }
}

/// A mainland phone number normalised to digits only: an 11-digit mobile, or an area code
/// plus a local number for fixed lines (`025` + 8 digits in Nanjing).
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// Digits only, no country code.
    public let value: String

    /// Why a string is not a phone number.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Excel turned the number into floating point (`1.38E+10`): digits are lost.
        case scientificNotation
        /// Too few or too many digits for a mainland number.
        case badLength(Int)
        /// Characters other than digits and the usual separators.
        case badCharacter

        public var description: String {
            switch self {
            case .scientificNotation: return "phone number in scientific notation (digits lost by Excel)"
            case .badLength(let n): return "phone number has \(n) digits, expected 11 (mobile) or 10-12 (fixed line)"
            case .badCharacter: return "phone number holds characters other than digits, spaces, '-', '+' and brackets"
            }
        }
    }

    /// Parses `138 0000 0000`, `+86-13800000000`, `(025)84412345`, `'13800000000`, full-width
    /// digits; a bare 8-digit local number is taken as Nanjing's (`025`).
    public init(parsing raw: String) throws(Problem) {
        var text = TextNormalization.compact(raw)
        if text.hasPrefix("'") || text.hasPrefix("`") { text.removeFirst() }
        let upper = text.uppercased()
        if upper.contains("E+") || upper.contains("E-") { throw .scientificNotation }
        var digits: [UInt8] = []
        for byte in upper.utf8 {
            switch byte {
            case 48...57: digits.append(byte)
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: " "): continue
            case UInt8(ascii: "."): throw .scientificNotation
            default: throw .badCharacter
            }
        }
        // The country code: no domestic number of 11 digits or more starts with 86 (mobiles
        // start with 1, fixed lines with the trunk 0). Written from abroad, a fixed line drops
        // its trunk 0 (`+86 25 84412345`, `+86 10 6512 3456`): it is put back; an 11-digit
        // number starting with 1 is a mobile.
        let international: Int = digits.count >= 13 && digits.starts(with: Array("0086".utf8)) ? 4
            : digits.count >= 11 && digits.starts(with: Array("86".utf8)) ? 2 : 0
        if international > 0 {
            digits.removeFirst(international)
            let isMobile = digits.count == 11 && digits.first == UInt8(ascii: "1")
            if !isMobile && digits.first != UInt8(ascii: "0") { digits.insert(UInt8(ascii: "0"), at: 0) }
        }
        if digits.count == 8 { digits = Array("025".utf8) + digits }
        switch digits.count {
        case 11 where digits[0] == UInt8(ascii: "1"): break
        case 10...12 where digits[0] == UInt8(ascii: "0"): break
        default: throw .badLength(digits.count)
        }
        value = String(decoding: digits, as: UTF8.self)
    }

    /// `138****0000`: the first three and last four digits stay visible.
    public var masked: String { Self.mask(value) }

    /// The masked form of a normalised digit string.
    public static func mask(_ value: String) -> String {
        guard value.count > 7 else { return String(repeating: "*", count: value.count) }
        let hidden = value.count - 7
        return String(value.prefix(3)) + String(repeating: "*", count: hidden) + String(value.suffix(4))
    }

    public var description: String { masked }
}

/// Masked display forms of personal names: the family name stays, the rest is starred.
public enum NameMask {
    /// `张某某` → `张**`, `李四` → `李*`; a two-character compound surname is not guessed.
    public static func mask(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }
}
