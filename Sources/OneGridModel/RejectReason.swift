/// Why a record went to the rejects, as code decides on it; `code` is the form stored in
/// `reject.reason`, listed by `onegrid rejects` and the dry-run report (the one place the
/// codes are spelled).
///
/// A code this build does not know (written by a newer version, or a reason a mapping rule
/// adds before it is listed here) is kept as `.other` and stored back unchanged, so a
/// warehouse never loses a reason by being read.
public enum RejectReason: Sendable, Hashable, CustomStringConvertible {
    // Read: the record could not be read as its format.
    /// Bytes not valid in the file's encoding.
    case undecodableBytes
    /// A JSON Lines line that is not one valid JSON value.
    case invalidJSON
    /// A CSV row with more cells than its header.
    case raggedRow
    /// A CSV row with fewer cells than its header (or cut off by the end of the file).
    case shortRow
    /// A quoted CSV field still open at the end of the file.
    case unterminatedQuote
    /// A JSON line that is valid JSON but not an object.
    case notAnObject
    /// A JSON string holding U+0000.
    case nulInValue
    /// A JSON object naming one key twice.
    case duplicateKey
    /// A record over the reader's limits.
    case recordTooLarge

    // Map: the record was read, its mapping refused it.
    /// A required value (the key, a required field) is empty.
    case missingRequired
    /// A value missing from a required value map or crosswalk.
    case unmappedValue
    /// Coordinates that cannot be read or lie outside the city.
    case invalidCoordinates
    /// A date or time the field's formats do not read.
    case invalidDatetime
    /// Not a number.
    case invalidNumber
    /// Not an integer.
    case invalidInteger
    /// Not a yes/no value.
    case invalidBool
    /// A value longer than any real one (4,096 characters), refused before any regex sees it.
    case valueTooLong
    /// Not a valid ID number (length, check digit, birth date).
    case invalidIDNumber
    /// Not a valid phone number.
    case invalidPhone
    /// An ID number Excel turned into scientific notation: its digits are lost.
    case excelDamagedID
    /// A phone number Excel turned into scientific notation: its digits are lost.
    case excelDamagedPhone
    /// A value its target cannot hold (a headcount of six digits: an identifier typed there).
    case implausibleValue
    /// The mapping failed on the record in a way its rules do not name.
    case mappingError

    // Replay: the record could not be mapped again at all.
    /// The file's header no longer satisfies the mapping (required columns missing).
    case schemaDrift

    /// A code this build does not list, kept as stored.
    case other(String)

    /// Every listed reason (not `.other`).
    public static let listed: [RejectReason] = [
        .undecodableBytes, .invalidJSON, .raggedRow, .shortRow, .unterminatedQuote, .notAnObject, .nulInValue, .duplicateKey,
        .recordTooLarge, .missingRequired, .unmappedValue, .invalidCoordinates, .invalidDatetime, .invalidNumber,
        .invalidInteger, .invalidBool, .valueTooLong, .invalidIDNumber, .invalidPhone, .excelDamagedID, .excelDamagedPhone,
        .implausibleValue, .mappingError, .schemaDrift,
    ]

    /// The stored form: `snake_case`, stable across versions (filters and reports use it).
    public var code: String {
        switch self {
        case .undecodableBytes: return "undecodable_bytes"
        case .invalidJSON: return "invalid_json"
        case .raggedRow: return "ragged_row"
        case .shortRow: return "short_row"
        case .unterminatedQuote: return "unterminated_quote"
        case .notAnObject: return "not_an_object"
        case .nulInValue: return "nul_in_value"
        case .duplicateKey: return "duplicate_key"
        case .recordTooLarge: return "record_too_large"
        case .missingRequired: return "missing_required"
        case .unmappedValue: return "unmapped_value"
        case .invalidCoordinates: return "invalid_coordinates"
        case .invalidDatetime: return "invalid_datetime"
        case .invalidNumber: return "invalid_number"
        case .invalidInteger: return "invalid_integer"
        case .invalidBool: return "invalid_bool"
        case .valueTooLong: return "value_too_long"
        case .invalidIDNumber: return "invalid_id_number"
        case .invalidPhone: return "invalid_phone"
        case .excelDamagedID: return "excel_damaged_id"
        case .excelDamagedPhone: return "excel_damaged_phone"
        case .implausibleValue: return "implausible_value"
        case .mappingError: return "mapping_error"
        case .schemaDrift: return "schema_drift"
        case .other(let code): return code
        }
    }

    /// The reason a stored code names; never fails (an unlisted code is `.other`).
    public init(code: String) {
        self = Self.byCode[code] ?? .other(code)
    }

    private static let byCode: [String: RejectReason] = Dictionary(uniqueKeysWithValues: listed.map { ($0.code, $0) })

    public var description: String { code }

    /// Reasons are their codes: `.other("short_row")` (built by hand, not by `init(code:)`)
    /// is `.shortRow`.
    public static func == (a: RejectReason, b: RejectReason) -> Bool { a.code == b.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension RejectReason: ExpressibleByStringLiteral {
    /// A reason by its stored code (`"short_row"` is `.shortRow`), as specifications and
    /// fixtures spell them.
    public init(stringLiteral code: String) {
        self.init(code: code)
    }
}

extension RejectReason: Codable {
    /// Encoded as its code, as stored.
    public init(from decoder: any Decoder) throws {
        self.init(code: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
