import OneGridCodecs

// ADVICE FOR HACKERS — dropping skipped subtrees before libxml2 sees them.
//
// libxml2 builds a text node whole before xmlTextReaderNext can jump past it, and refuses
// one over 10 MB without XML_PARSE_HUGE ("huge text node") — an option we must not set: it
// also lifts libxml2's entity-amplification guards. So the content of a skipped element
// (a petition's `<Attachments>`: megabytes of base64 the warehouse never needs) is dropped
// here, byte by byte, between our ByteStream and libxml2, and never held anywhere.
//
// * Byte scanning is safe for UTF-8 and the GB family: neither uses `<` `>` `/` `!` `?`
//   `"` `'` `-` `]` inside a multi-byte character (GB18030 trail bytes are 0x30–0x39 and
//   0x40–0xFE). For UTF-16 (which the feeds never allow) nothing would match, so nothing
//   would be dropped: the failure mode is libxml2 seeing everything, as before.
// * Comments, CDATA sections, processing instructions and declarations (a DOCTYPE with its
//   internal subset, quotes and brackets counted) are recognised so that a tag-like text
//   inside them is never taken for an element.
// * The start tag of a skipped element is passed on; its content is dropped up to the
//   matching end tag (same local name, nesting counted), for which `</qname>` is emitted.
//   An empty element (`<Attachments/>`) is passed on as it is.
// * Line breaks inside dropped content ARE passed on, so libxml2's line numbers (record
//   positions, error positions) stay those of the file; every 4096 of them a `<!---->` is
//   emitted so that no text node grows with them.
// * A file cut off inside a skipped element stays cut off: libxml2 then reports it.

/// A byte stream that drops the content of elements with the given local names.
final class XMLSubtreeFilter: ByteStream {
    private var source: any ByteStream
    private let skip: Set<[UInt8]>
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var atEnd = false

    private enum State {
        case text
        case lt
        case bang
        case comment
        case cdata
        case instruction
        case declaration
        case endTag
        case startTag
    }

    private var state = State.text
    private var name: [UInt8] = []
    private var nameDone = false
    private var marker: [UInt8] = []
    private var quote: UInt8 = 0
    private var bracketDepth = 0
    private var run = 0
    private var lastSignificant: UInt8 = 0
    /// The skipped element: its qualified name (for the emitted end tag), its local name,
    /// and how many open elements of that name are inside it.
    private var skipping: (qualified: [UInt8], local: [UInt8], depth: Int)?
    private var keptBreaks = 0

    private static let maxName = 256

    init(source: any ByteStream, skip: Set<String>) {
        self.source = source
        self.skip = Set(skip.map { Array($0.utf8) })
    }

    var bytesConsumed: Int64 { source.bytesConsumed }

    func read(into buffer: inout [UInt8], maxCount: Int) throws(ByteIOError) -> Int {
        while outputOffset >= output.count {
            if atEnd { return 0 }
            output.removeAll(keepingCapacity: true)
            outputOffset = 0
            input.removeAll(keepingCapacity: true)
            if try source.read(into: &input, maxCount: max(maxCount, 1 << 16)) == 0 {
                atEnd = true
                return 0
            }
            filter()
        }
        let n = min(maxCount, output.count - outputOffset)
        buffer.append(contentsOf: output[outputOffset..<(outputOffset + n)])
        outputOffset += n
        return n
    }

    private func local(_ qualified: [UInt8]) -> [UInt8] {
        if let colon = qualified.lastIndex(of: UInt8(ascii: ":")) { return Array(qualified[(colon + 1)...]) }
        return qualified
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Runs the state machine over `input`, appending what libxml2 should see to `output`.
    private func filter() {
        input.withUnsafeBufferPointer { p in
            let n = p.count
            var i = 0
            var keepFrom = skipping == nil ? 0 : -1
            func flush(upTo end: Int) {
                if keepFrom >= 0 && end > keepFrom { output.append(contentsOf: UnsafeBufferPointer(rebasing: p[keepFrom..<end])) }
            }
            while i < n {
                let b = p[i]
                switch state {
                case .text:
                    if skipping != nil {
                        // Dropped content: only line breaks go on, in bounded text nodes.
                        var j = i
                        while j < n && p[j] != UInt8(ascii: "<") {
                            if p[j] == 0x0A || p[j] == 0x0D {
                                output.append(p[j])
                                keptBreaks += 1
                                if keptBreaks % 4096 == 0 { output.append(contentsOf: "<!---->".utf8) }
                            }
                            j += 1
                        }
                        i = j
                        if j < n { state = .lt; i += 1 }
                        continue
                    }
                    var j = i
                    while j < n && p[j] != UInt8(ascii: "<") { j += 1 }
                    i = j
                    if j < n { state = .lt; i += 1 }
                    continue
                case .lt:
                    name.removeAll(keepingCapacity: true)
                    nameDone = false
                    quote = 0
                    lastSignificant = 0
                    if b == UInt8(ascii: "!") { state = .bang; marker.removeAll(keepingCapacity: true) }
                    else if b == UInt8(ascii: "?") { state = .instruction; lastSignificant = 0 }
                    else if b == UInt8(ascii: "/") { state = .endTag }
                    else { state = .startTag; continue } // the byte is the name's first
                case .bang:
                    marker.append(b)
                    if marker == Array("--".utf8) { state = .comment; run = 0 }
                    else if marker == Array("[CDATA[".utf8) { state = .cdata; run = 0 }
                    else if !Array("[CDATA[".utf8).starts(with: marker) && !Array("--".utf8).starts(with: marker) {
                        state = .declaration
                        bracketDepth = 0
                        quote = 0
                        continue // judge this byte as part of the declaration
                    }
                case .comment:
                    if b == UInt8(ascii: "-") { run += 1 } else {
                        if b == UInt8(ascii: ">") && run >= 2 { state = .text }
                        run = 0
                    }
                case .cdata:
                    if b == UInt8(ascii: "]") { run += 1 } else {
                        if b == UInt8(ascii: ">") && run >= 2 { state = .text }
                        run = 0
                    }
                case .instruction:
                    if b == UInt8(ascii: ">") && lastSignificant == UInt8(ascii: "?") { state = .text }
                    lastSignificant = b
                case .declaration:
                    if quote != 0 { if b == quote { quote = 0 } }
                    else if b == 0x22 || b == 0x27 { quote = b }
                    else if b == UInt8(ascii: "[") { bracketDepth += 1 }
                    else if b == UInt8(ascii: "]") { bracketDepth -= 1 }
                    else if b == UInt8(ascii: "<") && bracketDepth > 0 {
                        // A markup declaration inside the internal subset: its own quotes.
                    }
                    else if b == UInt8(ascii: ">") && bracketDepth <= 0 { state = .text }
                case .endTag:
                    if b == UInt8(ascii: ">") {
                        state = .text
                        if var open = skipping, local(name) == open.local {
                            open.depth -= 1
                            if open.depth == 0 {
                                skipping = nil
                                output.append(contentsOf: "</".utf8)
                                output.append(contentsOf: open.qualified)
                                output.append(UInt8(ascii: ">"))
                                keepFrom = i + 1
                            } else {
                                skipping = open
                            }
                        }
                    } else if !isSpace(b) && name.count < Self.maxName {
                        name.append(b)
                    }
                case .startTag:
                    if quote != 0 {
                        if b == quote { quote = 0 }
                    } else if b == 0x22 || b == 0x27 {
                        quote = b
                        nameDone = true
                    } else if b == UInt8(ascii: ">") {
                        state = .text
                        let isEmpty = lastSignificant == UInt8(ascii: "/")
                        if !isEmpty {
                            if var open = skipping {
                                if local(name) == open.local { open.depth += 1; skipping = open }
                            } else if skip.contains(local(name)) {
                                flush(upTo: i + 1)
                                keepFrom = -1
                                skipping = (name, local(name), 1)
                            }
                        }
                    } else if isSpace(b) || b == UInt8(ascii: "/") {
                        nameDone = true
                    } else if !nameDone && name.count < Self.maxName {
                        name.append(b)
                    }
                    if !isSpace(b) { lastSignificant = b }
                }
                i += 1
            }
            flush(upTo: n)
        }
    }
}
