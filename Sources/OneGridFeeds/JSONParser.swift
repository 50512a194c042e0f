/// Why a JSON text was refused, and where: `offset` counts bytes from 0, `column` from 1.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    /// Set when the text is valid JSON but its content is refused (a duplicate key, a NUL,
    /// a limit); nil for a syntax error.
    public var content: JSONContentProblem?
    /// Where the refused content sits: keys and `[index]`es from the top value down.
    public var path: [String]

    public init(message: String, offset: Int, content: JSONContentProblem? = nil, path: [String] = []) {
        self.message = message
        self.offset = offset
        self.content = content
        self.path = path
    }

    /// The 1-based byte column of the fault.
    public var column: Int { offset + 1 }

    /// `path` written as a mapping writes it: `timeline[1].action`.
    public var pathText: String {
        path.reduce("") { text, part in part.hasPrefix("[") || text.isEmpty ? text + part : text + "." + part }
    }

    public var description: String { "column \(column): \(message)" }

    /// The same error one level further out: `part` (a key or `[index]`) goes in front.
    func inside(_ part: String) -> JSONParseError {
        guard content != nil else { return self }
        var copy = self
        copy.path.insert(part, at: 0)
        return copy
    }
}

/// Valid JSON whose content a feed must not accept.
public enum JSONContentProblem: Sendable, Equatable {
    /// One object names the same key twice (the last path component is the key).
    case duplicateKey
    /// A string holds U+0000, escaped or raw.
    case nul
    /// A string, object or array over the parser's limits; says which.
    case tooLarge(String)
}

/// A hand-written, byte-level JSON parser (RFC 8259) producing `RecordValue`.
///
/// Strict: one value with optional surrounding white space, nothing after it; strings must
/// be valid UTF-8 with no raw control characters; `\uXXXX` escapes must pair surrogates.
/// Numbers are checked against the grammar and kept as their source text. Objects keep
/// their members in source order. Nesting deeper than `maxDepth` is refused, so hostile
/// input cannot exhaust the stack. Content a feed must not accept is refused with
/// `content` set and the path to it: a key twice in one object (first-wins or last-wins
/// would both silently drop a value), U+0000 in a string (escaped or raw: stores cut text
/// there), a string over `maxStringBytes` or an object or array over `maxItems`.
public struct JSONParser: Sendable {
    public var maxDepth: Int
    public var maxStringBytes: Int
    public var maxItems: Int

    public init(maxDepth: Int = 64, maxStringBytes: Int = Int.max, maxItems: Int = Int.max) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxItems = maxItems
    }

    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> RecordValue {
        var cursor = Cursor(p: bytes, maxDepth: maxDepth, maxStringBytes: maxStringBytes, maxItems: maxItems)
        cursor.skipWhitespace()
        let value = try cursor.parseValue(depth: 0)
        cursor.skipWhitespace()
        if cursor.i < bytes.count { throw cursor.fail("unexpected characters after the value") }
        return value
    }

    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> RecordValue {
        var result: Result<RecordValue, JSONParseError> = .success(.null)
        bytes.withUnsafeBufferPointer { buf in
            do throws(JSONParseError) { result = .success(try parse(buf)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    public func parse(_ text: String) throws(JSONParseError) -> RecordValue {
        try parse(Array(text.utf8))
    }
}

private struct Cursor {
    let p: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    let maxStringBytes: Int
    let maxItems: Int
    var i = 0
    var scratch: [UInt8] = []

    init(p: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxStringBytes: Int, maxItems: Int) {
        self.p = p
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxItems = maxItems
    }

    func refuse(_ content: JSONContentProblem, _ message: String, at offset: Int) -> JSONParseError {
        JSONParseError(message: message, offset: offset, content: content)
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(message: message, offset: offset ?? i)
    }

    func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    mutating func skipWhitespace() {
        while i < p.count {
            let b = p[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { return }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> RecordValue {
        guard i < p.count else { throw fail("unexpected end of input, a value was expected") }
        switch p[i] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected \(describe(p[i])), a value was expected")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let start = i
        let count = word.utf8CodeUnitCount
        guard i + count <= p.count else { throw fail("invalid literal, expected '\(word)'", at: start) }
        for k in 0..<count where p[i + k] != word.utf8Start[k] {
            throw fail("invalid literal, expected '\(word)'", at: start)
        }
        i += count
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> RecordValue {
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var members: [RecordMember] = []
        var seenKeys: Set<String>?
        skipWhitespace()
        if i < p.count && p[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard i < p.count else { throw fail("unexpected end of input inside an object") }
            guard p[i] == UInt8(ascii: "\"") else { throw fail("unexpected \(describe(p[i])), a member name was expected") }
            let keyStart = i
            let key = try parseString()
            // A scan while the object is small (most are), a set once it is not: a hostile
            // object of 10,000 members must not cost 50 M comparisons.
            let duplicate: Bool
            if var keys = seenKeys {
                duplicate = !keys.insert(key).inserted
                seenKeys = keys
            } else {
                duplicate = members.contains { $0.key == key }
                if members.count == 16 { seenKeys = Set(members.map(\.key) + [key]) }
            }
            if duplicate {
                throw JSONParseError(message: "duplicate key", offset: keyStart, content: .duplicateKey, path: [key])
            }
            if members.count >= maxItems {
                throw refuse(.tooLarge("an object with more than \(maxItems) members"), "too many members", at: keyStart)
            }
            skipWhitespace()
            guard i < p.count else { throw fail("unexpected end of input inside an object") }
            guard p[i] == UInt8(ascii: ":") else { throw fail("unexpected \(describe(p[i])), ':' was expected") }
            i += 1
            skipWhitespace()
            let value: RecordValue
            do { value = try parseValue(depth: depth) } catch { throw error.inside(key) }
            members.append(RecordMember(key: key, value: value))
            skipWhitespace()
            guard i < p.count else { throw fail("unexpected end of input inside an object") }
            switch p[i] {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"): i += 1; return .object(members)
            default: throw fail("unexpected \(describe(p[i])), ',' or '}' was expected")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> RecordValue {
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var items: [RecordValue] = []
        skipWhitespace()
        if i < p.count && p[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipWhitespace()
            if items.count >= maxItems {
                throw refuse(.tooLarge("an array with more than \(maxItems) items"), "too many items", at: i)
            }
            do { items.append(try parseValue(depth: depth)) } catch { throw error.inside("[\(items.count)]") }
            skipWhitespace()
            guard i < p.count else { throw fail("unexpected end of input inside an array") }
            switch p[i] {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"): i += 1; return .array(items)
            default: throw fail("unexpected \(describe(p[i])), ',' or ']' was expected")
            }
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> String {
        let start = i
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < p.count, isDigit(p[i]) else { throw fail("a digit was expected in the number") }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < p.count && isDigit(p[i]) { throw fail("leading zeros are not allowed in numbers") }
        } else {
            while i < p.count && isDigit(p[i]) { i += 1 }
        }
        if i < p.count && p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < p.count, isDigit(p[i]) else { throw fail("a digit was expected after the decimal point") }
            while i < p.count && isDigit(p[i]) { i += 1 }
        }
        if i < p.count && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < p.count && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < p.count, isDigit(p[i]) else { throw fail("a digit was expected in the exponent") }
            while i < p.count && isDigit(p[i]) { i += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
    }

    mutating func parseString() throws(JSONParseError) -> String {
        let open = i
        i += 1
        // Fast path: no escapes. Scan to the closing quote, then validate and copy once.
        var j = i
        var ascii = true
        while j < p.count {
            let b = p[j]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            if b >= 0x80 { ascii = false }
            j += 1
        }
        guard j < p.count else { throw fail("unterminated string", at: open) }
        if p[j] == UInt8(ascii: "\"") {
            if j - i > maxStringBytes { throw refuse(.tooLarge("a value over \(maxStringBytes) bytes"), "string too long", at: open) }
            let run = UnsafeBufferPointer(rebasing: p[i..<j])
            if !ascii, let bad = UTF8Validation.firstInvalidIndex(run) { throw fail("invalid UTF-8 in a string", at: i + bad) }
            i = j + 1
            return String(decoding: run, as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        while true {
            let runStart = i
            var nonASCII = false
            while i < p.count {
                let b = p[i]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                if b >= 0x80 { nonASCII = true }
                i += 1
            }
            let run = UnsafeBufferPointer(rebasing: p[runStart..<i])
            if nonASCII, let bad = UTF8Validation.firstInvalidIndex(run) { throw fail("invalid UTF-8 in a string", at: runStart + bad) }
            scratch.append(contentsOf: run)
            if scratch.count > maxStringBytes { throw refuse(.tooLarge("a value over \(maxStringBytes) bytes"), "string too long", at: open) }
            guard i < p.count else { throw fail("unterminated string", at: open) }
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == 0 { throw refuse(.nul, "NUL character in a string", at: i) }
            if b < 0x20 { throw fail("control character \(describe(b)) must be escaped in a string") }
            try parseEscape()
        }
    }

    /// Reads one escape (the cursor on its backslash) and appends its UTF-8 to `scratch`.
    mutating func parseEscape() throws(JSONParseError) {
        let start = i
        i += 1
        guard i < p.count else { throw fail("unterminated escape", at: start) }
        let c = p[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                    throw fail("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: start)
                }
                let lowStart = i
                i += 2
                let low = try hex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw fail("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: start)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: start)
            } else if scalar == 0 {
                throw refuse(.nul, "\\u0000 in a string", at: start)
            }
            scratch.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw fail("invalid escape \\\(describe(c))", at: start)
        }
    }

    mutating func hex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard i + 4 <= p.count else { throw fail("\\u must be followed by four hex digits", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = p[i]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw fail("\\u must be followed by four hex digits", at: escapeStart)
            }
            value = value << 4 | digit
            i += 1
        }
        return value
    }
}
