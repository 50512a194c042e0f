/// Reads the encoding an XML document declares (`<?xml version="1.0" encoding="GB2312"?>`)
/// from its first bytes, without a parser: the declaration is ASCII in every encoding the
/// feeds use.
enum XMLDeclaration {
    /// The declared encoding name as written, or nil when there is no declaration or no
    /// encoding in it (XML then means UTF-8).
    static func declaredEncoding(in prefix: [UInt8]) -> String? {
        var bytes = prefix[...]
        if bytes.starts(with: EncodingDetector.utf8BOM) { bytes = bytes.dropFirst(3) }
        guard bytes.starts(with: Array("<?xml".utf8)) else { return nil }
        guard let close = bytes.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = Array(bytes[..<close])
        let key = Array("encoding".utf8)
        guard let at = (0...max(0, declaration.count - key.count)).first(where: {
            declaration.count >= key.count && Array(declaration[$0..<($0 + key.count)]) == key
        }) else { return nil }
        var rest = declaration[(at + key.count)...].drop { $0 == 0x20 || $0 == 0x3D || $0 == 0x09 }
        guard let quote = rest.first, quote == 0x22 || quote == 0x27 else { return nil }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: quote) else { return nil }
        return String(decoding: rest[..<end], as: UTF8.self)
    }

    /// Whether a declared encoding is one of `allowed`, compared without case or punctuation
    /// (`gb2312` is `GB2312`, `utf8` is `UTF-8`).
    static func isAllowed(_ declared: String, in allowed: [String]) -> Bool {
        let key = canonical(declared)
        return allowed.contains { canonical($0) == key }
    }

    private static func canonical(_ name: String) -> String {
        name.uppercased().filter { $0.isLetter || $0.isNumber }
    }

    /// The encoding to force on libxml2 for a declared name. All of the GB family is read as
    /// GB18030, its superset: exports declared GB2312 routinely hold GBK-only characters
    /// (人名用字 such as 镕 or 喆), which a strict GB2312 decoder would refuse.
    static func readingEncoding(declared: String?, forced: TextEncodingName?) -> TextEncodingName? {
        if let forced { return forced }
        guard let declared else { return .utf8 }
        switch declared.uppercased().filter({ $0.isLetter || $0.isNumber }) {
        case "UTF8": return .utf8
        case "GB2312", "GBK", "GB18030", "CP936", "EUCCN", "WINDOWS936", "X936": return .gb18030
        default: return nil // something else (ISO-8859-1, UTF-16…): libxml2 handles it as declared
        }
    }
}

/// Record paths like `/XFExport/Petition`: local names from the root, `*` for any name.
struct XMLRecordPath: Sendable, Equatable {
    let components: [String]

    init(_ text: String) {
        components = text.split(separator: "/").map(String.init)
    }

    func matches(_ names: [String]) -> Bool {
        guard names.count == components.count else { return false }
        for (pattern, name) in zip(components, names) where pattern != "*" && pattern != name { return false }
        return true
    }
}

/// Escaping for the compact re-serialisation of an XML record (its `raw` bytes).
enum XMLEscaping {
    static func appendText(_ text: String, to out: inout [UInt8], attribute: Bool) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where attribute: out.append(contentsOf: "&quot;".utf8)
            case 0x0A where attribute: out.append(contentsOf: "&#10;".utf8)
            default: out.append(byte)
            }
        }
    }
}
