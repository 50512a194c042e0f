/// A check that a mapping's regular expression cannot stall an import, and the bound on the
/// text any mapping regex is run on (issue #12: `(.*a){20}` took over 120 s on a
/// 5,001-character value).
///
/// Refused, as the safe-regex package does for star height above one, and for the other
/// classic cause of exponential backtracking:
/// - a quantifier that repeats (at most more than once) around an unbounded one, or an
///   unbounded quantifier around one with a variable count: `(a+)+`, `(.*a){20}`, `(\d{2,5})*`
///   (a fixed count inside is safe: `(\d{3},)*`);
/// - an alternation under a repeating quantifier whose branches can match the same text:
///   `(a|a)*`, `(\d|\w)+`, `(a|ab)*`. Branches are compared character by character while both
///   match single characters; the check is conservative and may refuse a harmless
///   alternation such as `(ab+|ac)*`, which can always be rewritten (`(a(b+|c))*`).
///
/// Advice for hackers: the parser below reads ICU's syntax (what NSRegularExpression takes)
/// only as far as the check needs: character sets as ranges and classes, groups of every
/// kind, quantifiers, alternation. Anything it cannot classify is taken as "any character",
/// which can only make the check stricter. It runs after NSRegularExpression accepted the
/// pattern, so it need not diagnose syntax.
public enum RegexSafety {
    /// The most characters (UTF-16 code units, as NSRegularExpression counts) a mapping regex
    /// is run on. A field longer than this is not matched against a mapping regex: the value
    /// is a reject (`value_too_long`), never a stall. Real category paths, keys, codes and
    /// dates are under 100 characters; a 12345 诉求内容 is under 2,000. Even the worst
    /// accepted pattern shape (a few `.*` in sequence, polynomial) stays well under a second
    /// at this length.
    public static let maximumInputLength = 4096

    /// The deepest nesting of groups a mapping regex may have.
    public static let maximumGroupDepth = 32

    /// Why a pattern is refused, with the offset (in characters, from 0) of the quantifier or
    /// alternation at fault.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) (at character \(offset + 1) of the pattern)" }

        public init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
    }

    /// Nil when the pattern is safe to run on untrusted text; the refusal otherwise.
    public static func check(_ pattern: String) -> Refusal? {
        // The parser recurses once a group: bound the depth before it runs (counting every
        // '(' alike only overstates the depth of a pattern with escaped parentheses).
        var depth = 0
        for (offset, c) in pattern.unicodeScalars.enumerated() {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if depth > maximumGroupDepth { return Refusal(offset: offset, reason: "groups nested deeper than \(maximumGroupDepth)") }
        }
        var parser = RegexParser(Array(pattern.unicodeScalars))
        let tree = parser.parseAlternation()
        return RegexTree.findHazard(tree, enclosing: [])
    }

    /// Whether a value is short enough for a mapping regex (`maximumInputLength`).
    public static func admits(_ text: String) -> Bool {
        text.utf16.count <= maximumInputLength
    }
}

/// One character a regex atom can match, approximated by ranges and classes.
struct CharacterSet: Sendable {
    enum Class: Sendable { case digit, notDigit, word, notWord, space, notSpace, unknown }
    enum Piece: Sendable {
        case range(UInt32, UInt32)
        case cls(Class)
    }
    var pieces: [Piece]
    var negated: Bool

    static let any = CharacterSet(pieces: [], negated: true)
    static func literal(_ s: Unicode.Scalar, caseless: Bool) -> CharacterSet {
        var pieces: [Piece] = [.range(s.value, s.value)]
        if caseless {
            for variant in [s.properties.lowercaseMapping, s.properties.uppercaseMapping] {
                if let v = variant.unicodeScalars.first, variant.unicodeScalars.count == 1, v != s { pieces.append(.range(v.value, v.value)) }
            }
        }
        return CharacterSet(pieces: pieces, negated: false)
    }

    func overlaps(_ other: CharacterSet) -> Bool {
        switch (negated, other.negated) {
        case (true, true): return true
        case (true, false): return !other.pieces.allSatisfy { Self.excludes(pieces, $0) }
        case (false, true): return !pieces.allSatisfy { Self.excludes(other.pieces, $0) }
        case (false, false):
            for a in pieces { for b in other.pieces where Self.overlap(a, b) { return true } }
            return false
        }
    }

    /// Whether `piece` lies wholly inside the ranges a negated set excludes.
    static func excludes(_ excluded: [Piece], _ piece: Piece) -> Bool {
        guard case .range(let lo, let hi) = piece else { return false }
        return excluded.contains { if case .range(let a, let b) = $0 { return a <= lo && hi <= b } else { return false } }
    }

    static func overlap(_ a: Piece, _ b: Piece) -> Bool {
        switch (a, b) {
        case (.range(let a1, let a2), .range(let b1, let b2)): return a1 <= b2 && b1 <= a2
        case (.range(let lo, let hi), .cls(let c)), (.cls(let c), .range(let lo, let hi)):
            guard hi - lo < 0x2_0000 else { return true }
            for v in lo...hi { if let s = Unicode.Scalar(v), member(s, c) { return true } }
            return false
        case (.cls(let x), .cls(let y)): return classesOverlap(x, y)
        }
    }

    static func member(_ s: Unicode.Scalar, _ c: Class) -> Bool {
        let p = s.properties
        let digit = p.numericType == .decimal
        let word = digit || p.isAlphabetic || p.generalCategory == .connectorPunctuation
            || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark
        switch c {
        case .digit: return digit
        case .notDigit: return !digit
        case .word: return word
        case .notWord: return !word
        case .space: return p.isWhitespace
        case .notSpace: return !p.isWhitespace
        case .unknown: return true
        }
    }

    /// Disjoint pairs only: a class and its complement, a digit or word character and a space,
    /// and a digit and a non-word character (digits are word characters).
    static func classesOverlap(_ x: Class, _ y: Class) -> Bool {
        let disjoint: Set<[Int]> = [[0, 1], [2, 3], [4, 5], [0, 4], [2, 4], [0, 3]]
        func n(_ c: Class) -> Int {
            switch c { case .digit: 0; case .notDigit: 1; case .word: 2; case .notWord: 3; case .space: 4; case .notSpace: 5; case .unknown: 6 }
        }
        let pair = [n(x), n(y)].sorted()
        return !disjoint.contains(pair)
    }
}

/// The parts of a regex the check looks at.
indirect enum RegexTree: Sendable {
    /// One character from a set.
    case atom(CharacterSet)
    /// Matches no character, or an unknown run (anchors, lookarounds, back references).
    case zeroWidth
    case unknownRun
    case sequence([RegexTree])
    case alternation([RegexTree], offset: Int)
    case repetition(RegexTree, min: Int, max: Int?, offset: Int)

    struct Quantifier {
        var min: Int
        var max: Int?
        var offset: Int
        var repeats: Bool { max.map { $0 > 1 } ?? true }
        var unbounded: Bool { max == nil }
        var variable: Bool { max != min }
    }

    static func findHazard(_ tree: RegexTree, enclosing: [Quantifier]) -> RegexSafety.Refusal? {
        switch tree {
        case .atom, .zeroWidth, .unknownRun: return nil
        case .sequence(let items):
            for item in items { if let r = findHazard(item, enclosing: enclosing) { return r } }
            return nil
        case .alternation(let branches, let offset):
            if enclosing.contains(where: \.repeats) {
                for i in branches.indices { for j in branches.indices where j > i && mayOverlap(branches[i], branches[j]) {
                    return RegexSafety.Refusal(offset: offset, reason: "alternatives that can match the same text under a repeating quantifier (exponential backtracking)")
                } }
            }
            for b in branches { if let r = findHazard(b, enclosing: enclosing) { return r } }
            return nil
        case .repetition(let body, let min, let max, let offset):
            let q = Quantifier(min: min, max: max, offset: offset)
            if q.repeats {
                for outer in enclosing where outer.repeats {
                    if (q.unbounded && outer.repeats) || (outer.unbounded && q.variable) {
                        return RegexSafety.Refusal(offset: offset, reason: "a quantifier nested inside another repeating quantifier (star height above 1)")
                    }
                }
            }
            return findHazard(body, enclosing: enclosing + [q])
        }
    }

    /// The single-character steps a branch starts with, and whether the branch goes on after
    /// them with something other than single characters (or could end early).
    func prefix() -> (steps: [CharacterSet], more: Bool) {
        switch self {
        case .atom(let set): return ([set], false)
        case .zeroWidth: return ([], false)
        case .unknownRun, .alternation, .repetition: return ([], true)
        case .sequence(let items):
            var steps: [CharacterSet] = []
            for (i, item) in items.enumerated() {
                let p = item.prefix()
                steps += p.steps
                if p.more { return (steps, true) }
                _ = i
            }
            return (steps, false)
        }
    }

    /// Whether two branches may match a common text (conservative: true unless some position
    /// of their fixed single-character prefixes can never match the same character).
    static func mayOverlap(_ a: RegexTree, _ b: RegexTree) -> Bool {
        let (x, y) = (a.prefix(), b.prefix())
        for (p, q) in zip(x.steps, y.steps) where !p.overlaps(q) { return false }
        // Both fixed strings of different lengths cannot match one text whole, but under a
        // repetition one can be a prefix of the other's repeats: count it as overlapping.
        return true
    }
}

/// A recursive-descent reader of ICU regex syntax, as far as `RegexSafety` needs.
struct RegexParser {
    let s: [Unicode.Scalar]
    var i = 0
    var caseless = false
    var extended = false

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    var atEnd: Bool { i >= s.count }
    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    mutating func parseAlternation() -> RegexTree {
        let start = i
        var branches = [parseSequence()]
        while peek() == "|" {
            i += 1
            branches.append(parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches, offset: start)
    }

    mutating func parseSequence() -> RegexTree {
        var items: [RegexTree] = []
        while let c = peek(), c != "|", c != ")" {
            if extended && (c.properties.isWhitespace || c == "#") {
                if c == "#" { while let d = peek(), d != "\n" { i += 1 } }
                i += 1
                continue
            }
            let atomStart = i
            var item = parseAtom()
            while let q = parseQuantifier() {
                item = .repetition(item, min: q.min, max: q.max, offset: atomStart)
            }
            items.append(item)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    mutating func parseQuantifier() -> (min: Int, max: Int?)? {
        guard let c = peek() else { return nil }
        var result: (Int, Int?)
        switch c {
        case "*": result = (0, nil); i += 1
        case "+": result = (1, nil); i += 1
        case "?": result = (0, 1); i += 1
        case "{":
            var j = i + 1
            var low = "", high = "", comma = false
            while j < s.count, s[j] != "}" {
                if s[j] == "," { comma = true } else if s[j].properties.numericType == .decimal, s[j].isASCII {
                    if comma { high.unicodeScalars.append(s[j]) } else { low.unicodeScalars.append(s[j]) }
                } else { return nil }
                j += 1
            }
            guard j < s.count, let lo = Int(low) else { return nil }
            result = (lo, comma ? Int(high) : lo)
            i = j + 1
        default: return nil
        }
        if let m = peek(), m == "?" || m == "+" { i += 1 } // lazy or possessive: same shape
        return result
    }

    mutating func parseAtom() -> RegexTree {
        let c = s[i]
        i += 1
        switch c {
        case "(": return parseGroup()
        case "[": return .atom(parseSet())
        case ".": return .atom(.any)
        case "^", "$": return .zeroWidth
        case "\\": return parseEscape()
        default: return .atom(.literal(c, caseless: caseless))
        }
    }

    mutating func parseGroup() -> RegexTree {
        var zeroWidth = false
        if peek() == "?" {
            i += 1
            switch peek() {
            case ":", ">": i += 1
            case "=", "!": i += 1; zeroWidth = true
            case "#":
                while let c = peek(), c != ")" { i += 1 }
                i += 1
                return .zeroWidth
            case "<":
                if peek(1) == "=" || peek(1) == "!" { i += 2; zeroWidth = true } else {
                    while let c = peek(), c != ">" { i += 1 }
                    i += 1
                }
            default:
                // Flags: (?i) (?x-i) or (?i:...)
                var on = true
                while let c = peek(), c != ")" && c != ":" {
                    if c == "-" { on = false }
                    if c == "i" { caseless = on }
                    if c == "x" { extended = on }
                    i += 1
                }
                if peek() == ")" { i += 1; return .zeroWidth }
                i += 1
            }
        }
        let body = parseAlternation()
        if peek() == ")" { i += 1 }
        return zeroWidth ? .zeroWidth : body
    }

    mutating func parseEscape() -> RegexTree {
        guard let c = peek() else { return .atom(.literal("\\", caseless: false)) }
        i += 1
        switch c {
        case "d": return .atom(CharacterSet(pieces: [.cls(.digit)], negated: false))
        case "D": return .atom(CharacterSet(pieces: [.cls(.notDigit)], negated: false))
        case "w": return .atom(CharacterSet(pieces: [.cls(.word)], negated: false))
        case "W": return .atom(CharacterSet(pieces: [.cls(.notWord)], negated: false))
        case "s": return .atom(CharacterSet(pieces: [.cls(.space)], negated: false))
        case "S": return .atom(CharacterSet(pieces: [.cls(.notSpace)], negated: false))
        case "b", "B", "A", "z", "Z", "G": return .zeroWidth
        case "1"..."9", "k": return .unknownRun
        case "p", "P", "N", "X":
            if peek() == "{" { while let d = peek(), d != "}" { i += 1 }; i += 1 }
            return .atom(CharacterSet(pieces: [.cls(.unknown)], negated: false))
        case "Q":
            var items: [RegexTree] = []
            while i < s.count, !(s[i] == "\\" && peek(1) == "E") { items.append(.atom(.literal(s[i], caseless: caseless))); i += 1 }
            i = min(s.count, i + 2)
            return .sequence(items)
        default:
            if let scalar = escapedScalar(c) { return .atom(.literal(scalar, caseless: caseless)) }
            return .atom(CharacterSet(pieces: [.cls(.unknown)], negated: false))
        }
    }

    /// The character of an escape that names one (`\t`, `\x41`, `\u4E00`, `\.`); nil for
    /// ones it cannot read.
    mutating func escapedScalar(_ c: Unicode.Scalar) -> Unicode.Scalar? {
        func hex(_ count: Int) -> Unicode.Scalar? {
            var text = ""
            if peek() == "{" {
                i += 1
                while let d = peek(), d != "}" { text.unicodeScalars.append(d); i += 1 }
                i += 1
            } else {
                for _ in 0..<count { guard let d = peek() else { break }; text.unicodeScalars.append(d); i += 1 }
            }
            return UInt32(text, radix: 16).flatMap(Unicode.Scalar.init)
        }
        switch c {
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "f": return "\u{0C}"
        case "a": return "\u{07}"
        case "e": return "\u{1B}"
        case "x": return hex(2)
        case "u": return hex(4)
        case "U": return hex(8)
        case "c", "0": return nil
        default: return c.properties.isAlphabetic && c.isASCII ? nil : c
        }
    }

    /// `[...]`, with ranges, escapes, nested sets and POSIX classes (the last two as unknown,
    /// which only widens the set).
    mutating func parseSet() -> CharacterSet {
        var negated = false
        if peek() == "^" { negated = true; i += 1 }
        var pieces: [CharacterSet.Piece] = []
        var first = true
        while let c = peek(), c != "]" || first {
            first = false
            i += 1
            var low: Unicode.Scalar?
            switch c {
            case "[":
                if peek() == ":" { while let d = peek(), d != "]" { i += 1 }; i += 1 } else {
                    let inner = parseSet()
                    pieces += inner.negated ? [.cls(.unknown)] : inner.pieces
                }
                continue
            case "\\":
                guard let e = peek() else { continue }
                i += 1
                switch e {
                case "d": pieces.append(.cls(.digit)); continue
                case "D": pieces.append(.cls(.notDigit)); continue
                case "w": pieces.append(.cls(.word)); continue
                case "W": pieces.append(.cls(.notWord)); continue
                case "s": pieces.append(.cls(.space)); continue
                case "S": pieces.append(.cls(.notSpace)); continue
                case "p", "P", "N":
                    if peek() == "{" { while let d = peek(), d != "}" { i += 1 }; i += 1 }
                    pieces.append(.cls(.unknown)); continue
                default:
                    guard let scalar = escapedScalar(e) else { pieces.append(.cls(.unknown)); continue }
                    low = scalar
                }
            case "&" where peek() == "&", "-" where peek() == "-":
                i += 1
                continue
            default:
                low = c
            }
            guard let lo = low else { continue }
            if peek() == "-", let next = peek(1), next != "]" {
                i += 2
                var hi = next
                if next == "\\", let e = peek() { i += 1; hi = escapedScalar(e) ?? next }
                pieces.append(.range(min(lo.value, hi.value), max(lo.value, hi.value)))
            } else {
                pieces.append(CharacterSet.literal(lo, caseless: caseless).pieces[0])
                if caseless { pieces += CharacterSet.literal(lo, caseless: true).pieces.dropFirst() }
            }
        }
        i += 1
        if caseless && !negated && pieces.contains(where: { if case .range(let a, let b) = $0 { return a != b } else { return false } }) {
            pieces.append(.cls(.unknown)) // a caseless range: its other case is not worth computing
        }
        return CharacterSet(pieces: pieces, negated: negated)
    }
}
