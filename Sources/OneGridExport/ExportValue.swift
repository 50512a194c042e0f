import OneGridModel

/// One cell of an exported row. Writers render each case in their format's own way:
/// timestamps as Beijing wall-clock text (CSV), ISO 8601 with `+08:00` (JSON Lines) or
/// date serials with a date style (XLSX).
public enum ExportValue: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case timestamp(Timestamp)
    case null

    /// `.text`, or `.null` when the string is nil.
    static func string(_ value: String?) -> ExportValue { value.map(ExportValue.text) ?? .null }
    /// `.integer`, or `.null` when nil.
    static func int(_ value: Int64?) -> ExportValue { value.map(ExportValue.integer) ?? .null }
    /// `.timestamp` from Unix seconds, or `.null` when nil.
    static func seconds(_ value: Int64?) -> ExportValue { value.map { .timestamp(Timestamp(seconds: $0)) } ?? .null }
    /// `.real` rounded to `places` decimals, or `.null` when nil.
    static func real(_ value: Double?, places: Int) -> ExportValue {
        guard let value, value.isFinite else { return .null }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return .real((value * scale).rounded() / scale)
    }

    /// The plain text form shared by CSV and tests: Beijing time for timestamps, integral
    /// reals without a fraction (`12`), others in Swift's shortest round-trip form.
    public var plainText: String {
        switch self {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return Self.format(d)
        case .timestamp(let t): return t.beijingText
        case .null: return ""
        }
    }

    static func format(_ d: Double) -> String {
        if d.rounded() == d && abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }
}

/// A column of an exported table: its stable English key and its Chinese header.
public struct ExportColumn: Sendable, Hashable {
    /// English header and JSON key (`reported_at`).
    public var en: String
    /// Chinese header (`上报时间`).
    public var zh: String

    public init(_ en: String, _ zh: String) {
        self.en = en
        self.zh = zh
    }

    /// The header in the requested language.
    public func header(_ language: HeaderLanguage) -> String { language == .zh ? zh : en }

    /// Whether the column holds instants (`…_at`, `first_report(ed)`, `last_report(ed)`),
    /// which CSV and XLSX write as Beijing wall-clock time.
    public var holdsTimes: Bool {
        en.hasSuffix("_at") || ["first_report", "last_report", "first_reported", "last_reported"].contains(en)
    }

    /// The header for a format whose cells carry no zone (CSV, XLSX): a time column says
    /// its zone, `上报时间(+08:00)`, as JSON Lines and Parquet values do themselves.
    public func header(_ language: HeaderLanguage, zoneless: Bool) -> String {
        zoneless && holdsTimes ? header(language) + "(+08:00)" : header(language)
    }
}

/// Language of column headers (and JSON keys).
public enum HeaderLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case zh
    case en
}
