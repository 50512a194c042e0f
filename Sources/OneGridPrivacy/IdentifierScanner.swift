/// Finds the personal identifiers people type into free text — mobile numbers, resident ID
/// numbers, fixed-line numbers — in the forms they actually type them, and masks them in place.
///
/// Forms found: `13912345678`, `+8613912345678`, `+86 139 1234 5678`, `0086…`, `139-1234-5678`,
/// `139 1234 5678`, full-width digits (`１３９１２３４５６７８`); ID numbers of 18 characters
/// (final `X` or `x`) and 15 digits, unbroken or grouped (`320102 19570519 4788`); fixed lines
/// with an area code (`025-8468 1234`, `(025)84681234`, `（025）8468-1234`, `02584681234`,
/// `+86 25 8468 1234`); and a bare local number (`84681234`, `8468 1234`) only right after a
/// phone word (`电话`, `座机`, `固话`, `手机`, `传真`, `号码`, `tel`, `phone`, `fax`, `mobile`).
///
/// Not identifiers: dates (`2020-06-26`), times, amounts (`12000元`, `1,391,234.5`), house
/// numbers, and digits glued to Latin letters (`GD13912345678`, `NJ-2020-13912345678`: order
/// numbers and codes), unless the letters are a phone word (`Tel13912345678`).
/// A digit run is never split: `139123456789` is not a mobile followed by a `9`.
///
/// Advice for hackers: the scan works on UTF-8 bytes. Text with fewer than seven digits
/// (most text) returns after one pass over its bytes with no allocation. Otherwise digits
/// are gathered into *candidates*: runs of digit groups joined by a space or a hyphen (at
/// most two spaces and one hyphen) or by the closing bracket of an area code. Each candidate
/// is cut greedily, left to right, into the longest group sequence that forms one of the
/// shapes below; groups that match nothing stay visible.
public enum IdentifierScanner {
    /// What a found identifier is.
    public enum Kind: String, Sendable, Hashable {
        case mobile
        case idNumber
        /// A fixed-line number with its area code, or a bare local number after a phone word.
        case landline
    }

    /// One identifier found in a text.
    public struct Match: Sendable, Hashable {
        public var kind: Kind
        /// UTF-8 offsets (from 0) of the identifier as typed: its first character (a leading
        /// `+` or opening bracket included) to just after its last.
        public var utf8Range: Range<Int>
        /// UTF-8 offsets of the characters the mask hides.
        public var hidden: [Range<Int>]
    }

    /// The identifiers in `text`, in order.
    public static func matches(in text: String) -> [Match] {
        var text = text
        return text.withUTF8 { scan($0) }
    }

    /// Whether `text` holds an identifier.
    public static func containsIdentifier(_ text: String) -> Bool {
        !matches(in: text).isEmpty
    }

    /// `text` with every identifier masked in place: each hidden digit becomes one `*`,
    /// every other character (separators, brackets, country code) stays as typed.
    ///
    /// Mobiles keep their first 3 and last 4 digits (`139****5678`, `+86 139 **** 5678`);
    /// ID numbers keep their first 3 and last 4 characters (`320***********4788`); fixed
    /// lines keep the area code and the last 4 digits of the local number (`025-****1234`,
    /// `(025)****1234`); a bare local number keeps its last 4 digits (`电话****1234`).
    public static func redact(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes -> String in
            let found = scan(bytes)
            guard !found.isEmpty else { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var at = 0
            for match in found {
                for range in match.hidden {
                    out.append(contentsOf: bytes[at..<range.lowerBound])
                    out.append(UInt8(ascii: "*"))
                    at = range.upperBound
                }
            }
            out.append(contentsOf: bytes[at...])
            return String(decoding: out, as: UTF8.self)
        }
    }

    // MARK: - Scanning

    /// One digit as typed: where it is, how many bytes it takes (1 ASCII, 3 full-width),
    /// and its ASCII value (`X` for the check character of an ID number).
    struct Digit {
        var offset: Int
        var length: Int
        var value: UInt8
    }

    /// How a group is joined to the one before it.
    enum Gap { case start, space, hyphen, bracket }

    /// A maximal run of digits inside a candidate.
    struct Group {
        var digits: Range<Int>
        var start: Int
        var end: Int
        var endsWithX: Bool
        var gapBefore: Gap
        /// Part of a code glued to Latin letters: never part of an identifier.
        var locked = false
        var count: Int { digits.count }
    }

    /// The candidate being examined, with buffers reused from one candidate to the next.
    struct Candidate {
        var digits: [Digit] = []
        var groups: [Group] = []
        /// Where the candidate begins: its first digit, or a `+` or `(` before it.
        var start = 0
        var plus = false
        var openBracket = false
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Match] {
        guard digitCount(bytes, atLeast: 7) else { return [] }
        var found: [Match] = []
        var candidate = Candidate()
        var i = 0
        while i < bytes.count {
            guard digit(bytes, i) != nil else { i += 1; continue }
            i = read(bytes, from: i, into: &candidate)
            cut(candidate, bytes, into: &found)
        }
        return found
    }

    /// Whether the text holds at least `minimum` digits, ASCII or full-width.
    @inline(__always)
    static func digitCount(_ bytes: UnsafeBufferPointer<UInt8>, atLeast minimum: Int) -> Bool {
        var count = 0
        var p1: UInt8 = 0, p2: UInt8 = 0
        for b in bytes {
            if b &- 0x30 < 10 || (b &- 0x90 < 10 && p1 == 0xBC && p2 == 0xEF) {
                count += 1
                if count >= minimum { return true }
            }
            p2 = p1
            p1 = b
        }
        return false
    }

    /// The digit at `i` (ASCII or full-width U+FF10–U+FF19): its ASCII value and byte length.
    @inline(__always)
    static func digit(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt8, length: Int)? {
        guard i < b.count else { return nil }
        if b[i] &- 0x30 < 10 { return (b[i], 1) }
        if b[i] == 0xEF, i + 2 < b.count, b[i + 1] == 0xBC, b[i + 2] &- 0x90 < 10 { return (b[i + 2] - 0x90 + 0x30, 3) }
        return nil
    }

    /// Byte length of the character at `i` when it is one of `forms` (UTF-8 sequences).
    @inline(__always)
    static func oneOf(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ forms: [[UInt8]]) -> Int? {
        for form in forms where i + form.count <= b.count {
            var same = true
            for k in 0..<form.count where b[i + k] != form[k] { same = false; break }
            if same { return form.count }
        }
        return nil
    }

    static let spaces: [[UInt8]] = [[0x20], [0xC2, 0xA0], [0xE3, 0x80, 0x80]]
    /// `-`, full-width `－`, `‐` (U+2010), `–` (U+2013).
    static let hyphens: [[UInt8]] = [[0x2D], [0xEF, 0xBC, 0x8D], [0xE2, 0x80, 0x90], [0xE2, 0x80, 0x93]]
    static let openBrackets: [[UInt8]] = [[0x28], [0xEF, 0xBC, 0x88]]
    static let closeBrackets: [[UInt8]] = [[0x29], [0xEF, 0xBC, 0x89]]
    static let pluses: [[UInt8]] = [[0x2B], [0xEF, 0xBC, 0x8B]]
    static let checkX: [[UInt8]] = [[0x58], [0x78], [0xEF, 0xBC, 0xB8], [0xEF, 0xBD, 0x98]]

    @inline(__always)
    static func isLatinLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

    /// Start of the character that ends just before `i` (UTF-8 continuation bytes skipped).
    @inline(__always)
    static func previousStart(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var j = i - 1
        while j > 0 && b[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    /// The character before `i` when it is one of `forms`: its start.
    static func previous(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ forms: [[UInt8]]) -> Int? {
        guard i > 0 else { return nil }
        let j = previousStart(b, i)
        if let n = oneOf(b, j, forms), j + n == i { return j }
        return nil
    }

    /// Reads the candidate that starts with the digit at `i`; returns where scanning resumes.
    static func read(_ b: UnsafeBufferPointer<UInt8>, from i: Int, into c: inout Candidate) -> Int {
        c.digits.removeAll(keepingCapacity: true)
        c.groups.removeAll(keepingCapacity: true)
        c.start = i
        c.plus = false
        c.openBracket = false
        let bracket = previous(b, i, openBrackets)
        if let bracket { c.openBracket = true; c.start = bracket }
        if let j = previous(b, c.start, pluses) { c.plus = true; c.start = j }

        var p = i
        var gap = Gap.start
        while true {
            let first = c.digits.count
            let start = p
            while let d = digit(b, p) {
                c.digits.append(Digit(offset: p, length: d.length, value: d.value))
                p += d.length
            }
            var endsWithX = false
            if let n = oneOf(b, p, checkX), !(p + n < b.count && (isLatinLetter(b[p + n]) || b[p + n] &- 0x30 < 10)) {
                c.digits.append(Digit(offset: p, length: n, value: UInt8(ascii: "X")))
                p += n
                endsWithX = true
            }
            c.groups.append(Group(digits: first..<c.digits.count, start: start, end: p, endsWithX: endsWithX, gapBefore: gap))
            if endsWithX { break }
            // A gap: the area code's closing bracket, then at most two spaces and one hyphen.
            var q = p
            var closed = false, spaceCount = 0, hyphenCount = 0
            if c.groups.count == 1, c.openBracket, let n = oneOf(b, q, closeBrackets) { q += n; closed = true }
            while true {
                if let n = oneOf(b, q, spaces) { spaceCount += 1; q += n }
                else if let n = oneOf(b, q, hyphens) { hyphenCount += 1; q += n }
                else { break }
                if spaceCount > 2 || hyphenCount > 1 { break }
            }
            guard closed || spaceCount + hyphenCount > 0, spaceCount <= 2, hyphenCount <= 1, digit(b, q) != nil else { break }
            gap = closed ? .bracket : (spaceCount == 0 ? .hyphen : .space)
            p = q
        }
        // An opening bracket belongs to the number only when it encloses the first group.
        if bracket != nil, c.groups.count < 2 || c.groups[1].gapBefore != .bracket {
            c.openBracket = false
            c.start = i
            if let j = previous(b, i, pluses) { c.plus = true; c.start = j } else { c.plus = false }
        }
        lockCodes(b, &c)
        return p
    }

    static let codeJoiners: [[UInt8]] = [[0x2D], [0x5F]]

    /// Digits glued to Latin letters (directly or by `-` or `_`) are part of a code, and so
    /// is every group hyphen-chained to them; the integer or fraction part of a decimal
    /// number is an amount. (Thousands separators need no rule: their groups are 3 digits.)
    static func lockCodes(_ b: UnsafeBufferPointer<UInt8>, _ c: inout Candidate) {
        var lockFirst = false
        if c.start > 0 {
            let j = previousStart(b, c.start)
            if isLatinLetter(b[j]) {
                lockFirst = !isPhoneWord(latinWordBefore(b, c.start))
            } else if oneOf(b, j, codeJoiners) != nil, j > 0, isLatinLetter(b[j - 1]) {
                lockFirst = !isPhoneWord(latinWordBefore(b, j))
            } else if b[j] == UInt8(ascii: "."), j > 0, b[j - 1] &- 0x30 < 10 {
                lockFirst = true
            }
        }
        if lockFirst {
            for g in c.groups.indices {
                if g > 0 && c.groups[g].gapBefore != .hyphen { break }
                c.groups[g].locked = true
            }
        }
        let end = c.groups[c.groups.count - 1].end
        var lockLast = false
        if end < b.count {
            let next = b[end]
            if isLatinLetter(next) {
                lockLast = true
            } else if oneOf(b, end, codeJoiners) != nil, end + 1 < b.count, isLatinLetter(b[end + 1]) {
                lockLast = true
            } else if next == UInt8(ascii: "."), digit(b, end + 1) != nil {
                lockLast = true
            }
        }
        if lockLast {
            var g = c.groups.count - 1
            while g >= 0 {
                c.groups[g].locked = true
                if c.groups[g].gapBefore != .hyphen { break }
                g -= 1
            }
        }
    }

    /// The run of Latin letters that ends at `i`, lower-cased.
    static func latinWordBefore(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> [UInt8] {
        var j = i
        while j > 0 && isLatinLetter(b[j - 1]) { j -= 1 }
        return b[j..<i].map { $0 | 0x20 }
    }

    static let phoneWords: [[UInt8]] = ["tel", "phone", "fax", "mobile", "mob", "cell"].map { Array($0.utf8) }
    static let phoneWordsHan: [[UInt8]] = ["电话", "座机", "固话", "手机", "传真", "号码"].map { Array($0.utf8) }
    /// What may stand between a phone word and its number: `:`, `：`, `是`, `为`, white space.
    static let phoneWordFillers: [[UInt8]] = [[0x3A], [0xEF, 0xBC, 0x9A], Array("是".utf8), Array("为".utf8)] + spaces

    static func isPhoneWord(_ word: [UInt8]) -> Bool { phoneWords.contains(word) }

    /// Whether a phone word ends right before `i`, across up to three filler characters.
    static func followsPhoneWord(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        var j = i
        for _ in 0..<4 {
            for word in phoneWordsHan where j >= word.count {
                var same = true
                for k in 0..<word.count where b[j - word.count + k] != word[k] { same = false; break }
                if same { return true }
            }
            if j > 0, isLatinLetter(b[j - 1]), isPhoneWord(latinWordBefore(b, j)) { return true }
            guard let k = previous(b, j, phoneWordFillers) else { return false }
            j = k
        }
        return false
    }

    // MARK: - Shapes

    /// A sequence of group lengths packed one byte each (first group highest) under a
    /// count byte, so shapes are compared without allocating.
    struct Shape: Equatable {
        var packed: UInt64 = 0

        init() {}

        init(_ lengths: Int...) {
            for n in lengths { append(n) }
        }

        var count: Int { Int(packed >> 56) }

        mutating func append(_ n: Int) {
            let body = packed & 0x00FF_FFFF_FFFF_FFFF
            // Six groups at most; a longer sequence or group matches no shape.
            guard count < 6, n > 0, n < 256 else { packed = UInt64.max; return }
            packed = UInt64(count + 1) << 56 | body << 8 | UInt64(n)
        }
    }

    static let mobileShapes = [Shape(11), Shape(3, 4, 4), Shape(3, 8), Shape(7, 4)]
    static let id18Shapes = [Shape(18), Shape(6, 8, 4), Shape(6, 12), Shape(6, 4, 4, 4), Shape(4, 4, 4, 4, 2)]
    static let id15Shapes = [Shape(15), Shape(6, 6, 3)]
    static let localShapes = [Shape(8), Shape(7), Shape(4, 4), Shape(3, 4)]

    /// The lengths of groups `s...e`, the first one less `skip` digits (left out when that
    /// leaves nothing of it).
    static func shape(_ c: Candidate, _ s: Int, _ e: Int, skippingFirst skip: Int) -> Shape {
        var shape = Shape()
        for g in s...e {
            let n = c.groups[g].count - (g == s ? skip : 0)
            if g == s && n == 0 { continue }
            shape.append(n)
        }
        return shape
    }

    /// Cuts a candidate into identifiers, greedily from the left, longest first.
    static func cut(_ c: Candidate, _ b: UnsafeBufferPointer<UInt8>, into found: inout [Match]) {
        var s = 0
        while s < c.groups.count {
            var matched = false
            if !c.groups[s].locked {
                var last = s
                while last + 1 < c.groups.count, last - s < 4, !c.groups[last + 1].locked, !c.groups[last].endsWithX { last += 1 }
                var e = last
                while e >= s {
                    if let match = identifier(c, b, s, e) {
                        found.append(match)
                        s = e + 1
                        matched = true
                        break
                    }
                    e -= 1
                }
            }
            if !matched { s += 1 }
        }
    }

    /// The identifier formed by groups `s...e` of a candidate, if they form one.
    static func identifier(_ c: Candidate, _ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Match? {
        let first = c.groups[s], last = c.groups[e]
        let hasX = last.endsWithX
        let begin = s == 0 ? c.start : first.start
        let end = last.end
        func hiding(_ digits: Range<Int>) -> [Range<Int>] {
            digits.map { c.digits[$0].offset ..< c.digits[$0].offset + c.digits[$0].length }
        }
        func digit(_ i: Int) -> UInt8 { c.digits[i].value }
        let zero = UInt8(ascii: "0"), eight = UInt8(ascii: "8"), six = UInt8(ascii: "6")
        let f = first.digits.lowerBound

        // A country code: `+86`, `0086`, or `86` glued to a mobile.
        var codeLength = 0
        if first.count >= 4, digit(f) == zero, digit(f + 1) == zero, digit(f + 2) == eight, digit(f + 3) == six {
            codeLength = 4
        } else if first.count >= 2, digit(f) == eight, digit(f + 1) == six, (s == 0 && c.plus) || first.count == 13 {
            codeLength = 2
        }
        for code in codeLength > 0 ? [codeLength, 0] : [0] {
            let shape = Self.shape(c, s, e, skippingFirst: code)
            let wholeGroupCode = code > 0 && first.count == code
            guard shape.count > 0 else { continue }
            let nationalStart = f + code
            let nationalEnd = last.digits.upperBound
            let n = nationalEnd - nationalStart
            func d(_ k: Int) -> UInt8 { digit(nationalStart + k) }

            if code == 0 {
                if n == 18, id18Shapes.contains(shape) {
                    return Match(kind: .idNumber, utf8Range: begin..<end, hidden: hiding(nationalStart + 3 ..< nationalEnd - 4))
                }
                if hasX { return nil }
                if n == 15, id15Shapes.contains(shape) {
                    return Match(kind: .idNumber, utf8Range: begin..<end, hidden: hiding(nationalStart + 3 ..< nationalEnd - 4))
                }
            }
            guard !hasX else { return nil }
            if n == 11, d(0) == UInt8(ascii: "1"), d(1) >= UInt8(ascii: "3"), mobileShapes.contains(shape) {
                return Match(kind: .mobile, utf8Range: begin..<end, hidden: hiding(nationalStart + 3 ..< nationalEnd - 4))
            }
            // A fixed line: area code (`010`, `02x`: three digits with the trunk 0, others
            // four; after a country code, without the 0), then a 7- or 8-digit local number.
            let trunk = code == 0 && d(0) == zero
            if trunk || wholeGroupCode, n > 1, d(trunk ? 1 : 0) != zero {
                let areaFirst = d(trunk ? 1 : 0)
                let areaLength = (areaFirst == UInt8(ascii: "1") || areaFirst == UInt8(ascii: "2") ? 2 : 3) + (trunk ? 1 : 0)
                // The area code is a group of its own, or the start of the first group.
                let areaGroup = wholeGroupCode ? s + 1 : s
                let areaGroupLength = c.groups[areaGroup].count - (areaGroup == s ? code : 0)
                if areaGroupLength >= areaLength, areaGroup < e || areaGroupLength > areaLength,
                   localShapes.contains(Self.shape(c, areaGroup, e, skippingFirst: areaLength + (areaGroup == s ? code : 0))),
                   n > areaLength, d(areaLength) >= UInt8(ascii: "2") {
                    return Match(kind: .landline, utf8Range: begin..<end,
                                 hidden: hiding(nationalStart + areaLength ..< nationalEnd - 4))
                }
            }
            // A bare local number, only right after a phone word.
            if code == 0, s == 0, !c.plus, !c.openBracket, localShapes.contains(shape), d(0) >= UInt8(ascii: "2"),
               followsPhoneWord(b, c.start) {
                return Match(kind: .landline, utf8Range: begin..<end, hidden: hiding(nationalStart ..< nationalEnd - 4))
            }
        }
        return nil
    }
}
