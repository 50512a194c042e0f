import Foundation
import OneGridPrivacy
import OneGridModel

/// Parses the date-time forms the departments write, all in Beijing time unless the text
/// carries an offset: listed patterns (`yyyy-M-d H:m:s`, `yyyy年M月d日 H时m分`,
/// `yyyyMMddHHmmss`…), ISO 8601 with or without offset, Excel serial day numbers and Unix
/// epochs in seconds or milliseconds. Null placeholders (`0001-01-01T00:00:00`) mean no date.
///
/// Pattern letters: `yyyy` year, `M`/`MM` month, `d`/`dd` day, `H`/`HH` hour, `m`/`mm`
/// minute, `s`/`ss` second (a single letter takes one or two digits, a double letter exactly
/// two); a space matches one or more spaces or a `T`; anything else is literal.
public struct DateTimeParser: Sendable {
    /// Which non-pattern forms are accepted.
    public struct Forms: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let iso8601 = Forms(rawValue: 1)
        public static let excelSerial = Forms(rawValue: 2)
        public static let epochSeconds = Forms(rawValue: 4)
        public static let epochMilliseconds = Forms(rawValue: 8)
        public static let all: Forms = [.iso8601, .excelSerial, .epochSeconds, .epochMilliseconds]

        /// The names a mapping's `formats` list uses for these forms.
        public static let names: [String: Forms] = [
            "iso8601": .iso8601, "excel_serial": .excelSerial,
            "epoch_seconds": .epochSeconds, "epoch_milliseconds": .epochMilliseconds,
        ]

        /// The form a `formats` entry names (`excel_serial`…), nil for a pattern.
        public init?(name: String) {
            guard let form = Forms.names[name] else { return nil }
            self = form
        }
    }

    /// The patterns tried by default, in order.
    public static let defaultPatterns = [
        "yyyy-M-d H:m:s", "yyyy-M-d H:m", "yyyy-M-d",
        "yyyy/M/d H:m:s", "yyyy/M/d H:m", "yyyy/M/d",
        "yyyy年M月d日 H时m分s秒", "yyyy年M月d日 H时m分", "yyyy年M月d日 H:m:s", "yyyy年M月d日 H:m", "yyyy年M月d日",
        "yyyy.M.d H:m:s", "yyyy.M.d H:m", "yyyy.M.d",
        "yyyyMMddHHmmss", "yyyyMMddHHmm", "yyyyMMdd",
    ]

    let patterns: [DatePattern]
    let forms: Forms

    /// Why a text is not a date-time.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case unrecognised(String)
        case badPattern(String, reason: String)

        public var description: String {
            switch self {
            // The text is a source value: shown only through the one masking rule.
            case .unrecognised(let text): return "'\(SourceValueMask.standard.show(text, as: .text))' is not a date-time in any accepted form"
            case .badPattern(let p, let reason): return "date format '\(p)' is invalid: \(reason)"
            }
        }
    }

    public init(patterns: [String] = DateTimeParser.defaultPatterns, forms: Forms = .all) throws(Problem) {
        var compiled: [DatePattern] = []
        for p in patterns { compiled.append(try DatePattern(p)) }
        self.patterns = compiled
        self.forms = forms
    }

    public static let standard = try! DateTimeParser()

    /// nil for empty text and null placeholders; throws for anything unrecognised.
    public func parse(_ raw: String) throws(Problem) -> Timestamp? {
        let bytes = Array(TextNormalization.halfWidth(raw).utf8)
        var lo = 0, hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 || bytes[hi - 1] == 0x0D || bytes[hi - 1] == 0x0A { hi -= 1 }
        if lo == hi { return nil }
        let text = Array(bytes[lo..<hi])
        if Self.isNullPlaceholder(text) { return nil }
        if let clock = ChineseClock.split(String(decoding: text, as: UTF8.self)) {
            // `2020年6月26日下午9时18分`: the date by the rule's own forms, the time by the clock.
            guard let date = try? parse(clock.date), let time = clock.seconds, date.isBeijingMidnight else {
                throw .unrecognised(String(decoding: text, as: UTF8.self))
            }
            return Timestamp(seconds: date.seconds + time)
        }
        if forms.contains(.iso8601), let ts = Self.parseISO(text) { return ts.value }
        for pattern in patterns {
            if let fields = pattern.match(text) {
                if fields.year < 1900 { return nil }
                if let ts = Timestamp(beijingYear: fields.year, month: fields.month, day: fields.day,
                                      hour: fields.hour, minute: fields.minute, second: fields.second) {
                    return ts
                }
            }
        }
        if let ts = numericForm(text) { return ts }
        throw .unrecognised(String(decoding: text, as: UTF8.self))
    }

    static func isNullPlaceholder(_ text: [UInt8]) -> Bool {
        text.starts(with: nullPlaceholders.0) || text.starts(with: nullPlaceholders.1)
    }

    private static let nullPlaceholders = (Array("0001-01-01".utf8), Array("0000-00-00".utf8))

    private func numericForm(_ text: [UInt8]) -> Timestamp? {
        var intDigits = 0, dots = 0, fracDigits = 0
        for b in text {
            if b == 0x2E { dots += 1; continue }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            if dots == 0 { intDigits += 1 } else { fracDigits += 1 }
        }
        guard dots <= 1 else { return nil }
        let string = String(decoding: text, as: UTF8.self)
        if forms.contains(.epochMilliseconds), dots == 0, intDigits == 13, let ms = Int64(string) {
            return Timestamp(seconds: ms / 1000)
        }
        if forms.contains(.epochSeconds), dots == 0, intDigits == 10, let s = Int64(string) {
            return Timestamp(seconds: s)
        }
        // Excel serials: days since 1899-12-30 in local (Beijing) time; 5 integer digits
        // covers 1927–2173, so a serial never collides with a compact date.
        if forms.contains(.excelSerial), intDigits == 5, let serial = Double(string) {
            let seconds = (serial * 86_400).rounded()
            let excelEpochDays = CivilDate.daysSinceEpoch(year: 1899, month: 12, day: 30)
            return Timestamp(seconds: Int64(excelEpochDays) * 86_400 + Int64(seconds) - 8 * 3600)
        }
        return nil
    }

    /// `2020-06-23T08:15:00+08:00`, `…Z`, `…+0800`, fractions of seconds ignored; without an
    /// offset the time is Beijing's.
    static func parseISO(_ t: [UInt8]) -> (value: Timestamp?, ok: Bool)? {
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= t.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                let b = t[i]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        guard t.count >= 19, t[4] == 0x2D, t[7] == 0x2D, t[10] == 0x54 || t[10] == 0x74,
              t[13] == 0x3A, t[16] == 0x3A,
              let y = digits(0, 4), let mo = digits(5, 2), let d = digits(8, 2),
              let h = digits(11, 2), let mi = digits(14, 2), let s = digits(17, 2) else { return nil }
        var i = 19
        if i < t.count, t[i] == 0x2E || t[i] == 0x2C {
            i += 1
            while i < t.count, t[i] >= 0x30 && t[i] <= 0x39 { i += 1 }
        }
        var offsetSeconds = 8 * 3600
        if i < t.count {
            if t[i] == 0x5A || t[i] == 0x7A, i + 1 == t.count {
                offsetSeconds = 0
            } else if t[i] == 0x2B || t[i] == 0x2D {
                let sign = t[i] == 0x2B ? 1 : -1
                guard let oh = digits(i + 1, 2) else { return nil }
                var om = 0
                if i + 3 < t.count {
                    if t[i + 3] == 0x3A { guard let m = digits(i + 4, 2), i + 6 == t.count else { return nil }; om = m }
                    else { guard let m = digits(i + 3, 2), i + 5 == t.count else { return nil }; om = m }
                } else if i + 3 != t.count { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        if y < 1900 { return (nil, true) }
        guard let local = Timestamp(beijingYear: y, month: mo, day: d, hour: h, minute: mi, second: s) else { return nil }
        return (Timestamp(seconds: local.seconds + 8 * 3600 - Int64(offsetSeconds)), true)
    }
}

/// 12-hour Chinese times: a period word (上午, 下午, 晚上, 凌晨, 中午 …), an hour with 时 or 点,
/// then minutes (`18分`, `半`, `整`, `:18`) and seconds (`5秒`), in Arabic digits or Chinese
/// numerals. The period decides the hour of the day:
///
/// | period | hours | 24-hour |
/// | --- | --- | --- |
/// | 凌晨 | 12, 1–6 | 0, 1–6 |
/// | 早上, 早晨, 上午 | 1–12 | 1–12 (上午12点 is noon) |
/// | 中午 | 11, 12, 1–3 | 11, 12, 13–15 |
/// | 下午, 傍晚 | 1–11, 12 | 13–23, 12 |
/// | 晚上, 夜里, 夜间 | 6–11, 12 | 18–23, 0 of the next day |
///
/// An hour written 13–23 after 下午 or 晚上 (`下午15点`) is taken as written; anything else
/// outside the table is not a time.
enum ChineseClock {
    enum Period { case earlyMorning, morning, noon, afternoon, evening }

    static let words: [(String, Period)] = [
        ("凌晨", .earlyMorning), ("早上", .morning), ("早晨", .morning), ("上午", .morning), ("中午", .noon),
        ("下午", .afternoon), ("傍晚", .afternoon), ("晚上", .evening), ("夜里", .evening), ("夜间", .evening),
    ]

    /// The date text before the period word and the time of day after it, in seconds from
    /// midnight (nil when the time part is malformed); nil when the text names no period.
    static func split(_ text: String) -> (date: String, seconds: Int64?)? {
        guard mayHoldWord(text) else { return nil }
        guard let (range, period) = words.lazy.compactMap({ w -> (Range<String.Index>, Period)? in
            text.range(of: w.0).map { ($0, w.1) }
        }).first else { return nil }
        let date = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        let time = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
        return (date, seconds(time, period))
    }

    /// Whether `range(of:)` could find a period word in the text. Foundation's search takes
    /// canonically equivalent text for the word (a CJK compatibility ideograph for the unified
    /// one: U+F9E9 for 里) and refuses a word that ends inside a character (下午 + U+0301), so
    /// it stays the judge; but it can find one only in a text holding a word's own bytes or a
    /// compatibility ideograph (U+F900–U+FAFF, U+2F800–U+2FA1F). Most dates hold neither and
    /// skip its ten `NSString` searches (about 20 µs a date on Linux).
    static func mayHoldWord(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 >= 0x80 }) else { return false }
        for word in wordBytes where firstOffset(of: word, in: bytes) != nil { return true }
        for i in bytes.indices {
            if bytes[i] == 0xEF, i + 1 < bytes.count, (0xA4...0xAB).contains(bytes[i + 1]) { return true }
            if bytes[i] == 0xF0, i + 2 < bytes.count, bytes[i + 1] == 0xAF, (0xA0...0xA8).contains(bytes[i + 2]) { return true }
        }
        return false
    }

    private static let wordBytes: [[UInt8]] = words.map { Array($0.0.utf8) }

    /// The byte offset of the first occurrence of `word` in `text`.
    static func firstOffset(of word: [UInt8], in text: [UInt8]) -> Int? {
        guard let first = word.first, text.count >= word.count else { return nil }
        for offset in 0...(text.count - word.count) where text[offset] == first {
            if text[offset..<(offset + word.count)].elementsEqual(word) { return offset }
        }
        return nil
    }

    /// Seconds from midnight of `时`/`点` times after a period word.
    static func seconds(_ text: String, _ period: Period) -> Int64? {
        var rest = Substring(text)
        func number() -> Int? {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty {
                guard digits.count <= 2 else { return nil }
                rest = rest.dropFirst(digits.count)
                return Int(digits)
            }
            let numerals = rest.prefix { ChineseNumber.isNumeral($0) && $0 != "万" }
            guard !numerals.isEmpty, let v = ChineseNumber.value(numerals) else { return nil }
            rest = rest.dropFirst(numerals.count)
            return v
        }
        func take(_ word: String) -> Bool {
            guard rest.hasPrefix(word) else { return false }
            rest = rest.dropFirst(word.count)
            return true
        }
        guard let hour = number() else { return nil }
        let colon = take(":")
        guard colon || take("点钟") || take("点") || take("时") else { return nil }
        var minute = 0, second = 0
        if take("半") {
            minute = 30
        } else if take("整") {
            minute = 0
        } else if let m = number() {
            minute = m
            _ = take("分")
            if colon ? take(":") : true, let s = number() {
                second = s
                guard colon || take("秒") else { return nil }
            }
        }
        guard rest.isEmpty, minute < 60, second < 60, let (h, nextDay) = hour24(hour, period) else { return nil }
        return Int64((nextDay ? 86_400 : 0) + h * 3600 + minute * 60 + second)
    }

    /// The hour of the day for an hour after a period word, and whether it falls on the
    /// next day (晚上12点 is the midnight that ends the date).
    static func hour24(_ h: Int, _ period: Period) -> (Int, Bool)? {
        switch period {
        case .earlyMorning: return h == 12 ? (0, false) : (0...6).contains(h) ? (h, false) : nil
        case .morning: return (0...12).contains(h) ? (h, false) : nil
        case .noon: return h == 11 || h == 12 ? (h, false) : (1...3).contains(h) ? (h + 12, false) : nil
        case .afternoon: return (1...11).contains(h) ? (h + 12, false) : (12...23).contains(h) ? (h, false) : nil
        case .evening:
            if h == 12 { return (0, true) }
            return (6...11).contains(h) ? (h + 12, false) : (18...23).contains(h) ? (h, false) : nil
        }
    }
}

extension Timestamp {
    /// Whether this instant is 00:00:00 Beijing time.
    var isBeijingMidnight: Bool { (seconds + 8 * 3600) % 86_400 == 0 }
}

/// One compiled date pattern.
struct DatePattern: Sendable {
    enum Part: Sendable {
        case year
        case number(Field, exact: Bool)
        case space
        case literal([UInt8])
    }

    enum Field: Sendable { case month, day, hour, minute, second }

    let parts: [Part]

    init(_ pattern: String) throws(DateTimeParser.Problem) {
        var parts: [Part] = []
        let chars = Array(pattern)
        var i = 0
        var sawYear = false, sawMonth = false, sawDay = false
        while i < chars.count {
            let c = chars[i]
            var run = 1
            while i + run < chars.count, chars[i + run] == c { run += 1 }
            switch c {
            case "y":
                guard run == 4 else { throw .badPattern(pattern, reason: "the year is written yyyy") }
                parts.append(.year); sawYear = true
            case "M", "d", "H", "m", "s":
                guard run <= 2 else { throw .badPattern(pattern, reason: "'\(String(repeating: c, count: run))' is too long") }
                let field: Field = c == "M" ? .month : c == "d" ? .day : c == "H" ? .hour : c == "m" ? .minute : .second
                if field == .month { sawMonth = true }
                if field == .day { sawDay = true }
                parts.append(.number(field, exact: run == 2))
            case " ":
                parts.append(.space)
            default:
                if c.isLetter && c.isASCII {
                    throw .badPattern(pattern, reason: "unknown pattern letter '\(c)' (use yyyy M d H m s)")
                }
                parts.append(.literal(Array(String(repeating: c, count: run).utf8)))
            }
            i += run
        }
        guard sawYear && sawMonth && sawDay else {
            throw .badPattern(pattern, reason: "a date format needs yyyy, M and d")
        }
        self.parts = parts
    }

    struct Fields { var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 }

    func match(_ t: [UInt8]) -> Fields? {
        var f = Fields()
        var i = 0
        for part in parts {
            switch part {
            case .year:
                guard i + 4 <= t.count else { return nil }
                var v = 0
                for k in i..<(i + 4) {
                    guard t[k] >= 0x30 && t[k] <= 0x39 else { return nil }
                    v = v * 10 + Int(t[k] - 0x30)
                }
                f.year = v; i += 4
            case .number(let field, let exact):
                var v = 0, n = 0
                while i < t.count, n < 2, t[i] >= 0x30 && t[i] <= 0x39 {
                    v = v * 10 + Int(t[i] - 0x30); i += 1; n += 1
                }
                guard n > 0, !exact || n == 2 else { return nil }
                switch field {
                case .month: f.month = v
                case .day: f.day = v
                case .hour: f.hour = v
                case .minute: f.minute = v
                case .second: f.second = v
                }
            case .space:
                guard i < t.count, t[i] == 0x20 || t[i] == 0x54 else { return nil }
                while i < t.count, t[i] == 0x20 || t[i] == 0x54 { i += 1 }
            case .literal(let lit):
                guard i + lit.count <= t.count, t[i..<(i + lit.count)].elementsEqual(lit) else { return nil }
                i += lit.count
            }
        }
        return i == t.count ? f : nil
    }
}
