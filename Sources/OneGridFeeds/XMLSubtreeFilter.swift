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
//
// ADVICE FOR HACKERS — bounding values outside skipped elements.
//
// The same 10 MB limit fails the whole file on any over-long text, CDATA section, attribute
// value, comment or processing instruction, though a value over `RecordLimits.valueBytes`
// only needs its record rejected. So each such value is measured as it passes and, once it
// is certainly over the limit, the rest of it is dropped here:
// * The measure is a lower bound of the value's size once decoded to UTF-8 (a reference
//   like `&amp;` counts one byte, a GB18030 two-byte character two, a four-byte one three,
//   CR nothing, as libxml2 folds CRLF), so a cut value is always still over the limit and
//   its record comes out `.recordTooLarge`: nothing is silently shortened and loaded.
// * The cut falls between whole characters (UTF-8 and GB18030 boundaries tracked from the
//   value's start) and never inside a reference; a cut CDATA section is closed with `]]>`;
//   a cut comment or processing instruction is kept open and closed at its own end, and
//   never after a `-` or `?` that would make a terminator of what we emit.
// * Line breaks in dropped text go on as above; in a dropped attribute value only the first
//   4096 do (an attribute value cannot hold the `<!---->` that bounds them), so line numbers
//   after a longer one run short.
// * Values in encodings other than UTF-8 and the GB family are not measured: libxml2 then
//   fails the file on its own limit, as before.

/// A byte stream between a file and libxml2 that drops the content of skipped elements and
/// the tail of values past the value limit.
final class XMLSubtreeFilter: ByteStream {
    private var source: any ByteStream
    private let skip: Set<[UInt8]>
    private let valueLimit: Int
    private var measure: XMLValueMeasure?
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

    /// What kind of over-long value is being dropped.
    private enum Dropping {
        case text
        case cdata
        case attribute
        case comment
        case instruction
    }

    private var state = State.text
    private var name: [UInt8] = []
    private var nameDone = false
    private var marker: [UInt8] = []
    private var quote: UInt8 = 0
    private var bracketDepth = 0
    private var run = 0
    private var lastSignificant: UInt8 = 0
    private var previous: UInt8 = 0
    /// The skipped element: its qualified name (for the emitted end tag), its local name,
    /// and how many open elements of that name are inside it.
    private var skipping: (qualified: [UInt8], local: [UInt8], depth: Int)?
    private var dropping: Dropping?
    private var keptBreaks = 0
    private var droppedValueBreaks = 0

    private static let maxName = 256
    /// Line breaks of a dropped attribute value passed on.
    private static let attributeBreaks = 4096

    /// - Parameters:
    ///   - skip: local names of elements whose content is dropped.
    ///   - valueLimit: values certainly longer than this many UTF-8 bytes lose their tail.
    ///   - characters: the document's encoding family; nil leaves values unmeasured.
    init(source: any ByteStream, skip: Set<String>, valueLimit: Int = .max, characters: XMLValueMeasure.Family? = nil) {
        self.source = source
        self.skip = Set(skip.map { Array($0.utf8) })
        self.valueLimit = valueLimit
        self.measure = valueLimit == .max ? nil : characters.map(XMLValueMeasure.init)
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
    private func isBreak(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D }

    /// Whether the value being measured is certainly over the limit and may be cut before
    /// its next byte.
    private var mayCut: Bool {
        guard skipping == nil, let measure else { return false }
        return measure.decodedAtLeast > valueLimit && measure.atBoundary
    }

    /// A line break of dropped text or CDATA, passed on in bounded text nodes.
    private func keepTextBreak(_ b: UInt8) {
        output.append(b)
        keptBreaks += 1
        if keptBreaks % 4096 == 0 { output.append(contentsOf: "<!---->".utf8) }
    }

    /// Runs the state machine over `input`, appending what libxml2 should see to `output`.
    private func filter() {
        input.withUnsafeBufferPointer { p in
            let n = p.count
            var i = 0
            var keepFrom = skipping == nil && dropping == nil ? 0 : -1
            func flush(upTo end: Int) {
                if keepFrom >= 0 && end > keepFrom { output.append(contentsOf: UnsafeBufferPointer(rebasing: p[keepFrom..<end])) }
            }
            /// Passes on what came before byte i and drops the value from there on.
            func startDropping(_ kind: Dropping, closingWith closing: String = "") {
                flush(upTo: i)
                keepFrom = -1
                dropping = kind
                droppedValueBreaks = 0
                run = 0
                output.append(contentsOf: closing.utf8)
            }
            /// Ends a dropped CDATA section, comment or PI at its closing byte i, emitting
            /// `closer` (what the cut left open), and keeps what follows.
            func stopDropping(emitting closer: String) {
                output.append(contentsOf: closer.utf8)
                dropping = nil
                state = .text
                measure?.reset()
                keepFrom = i + 1
            }
            /// Keeps a line break of a dropped comment or PI (line numbers stay the file's),
            /// closing and reopening the node with `reopen` every 4096 of them so that the
            /// node libxml2 builds does not grow with them (as `keepTextBreak` does for text).
            func keepDroppedBreak(_ b: UInt8, reopen: String) {
                output.append(b)
                droppedValueBreaks += 1
                if droppedValueBreaks % 4096 == 0 { output.append(contentsOf: reopen.utf8) }
            }
            while i < n {
                let b = p[i]
                if let kind = dropping {
                    switch kind {
                    case .text:
                        if b == UInt8(ascii: "<") {
                            dropping = nil
                            keepFrom = i
                            continue // judged as markup below
                        }
                        if isBreak(b) { keepTextBreak(b) }
                    case .cdata:
                        if b == UInt8(ascii: "]") { run += 1 } else {
                            if b == UInt8(ascii: ">") && run >= 2 {
                                stopDropping(emitting: "") // `]]>` was emitted at the cut.
                            } else if isBreak(b) {
                                keepTextBreak(b)
                            }
                            run = 0
                        }
                    case .attribute:
                        if b == quote {
                            dropping = nil
                            keepFrom = i
                            continue // the closing quote, judged as part of the tag below
                        }
                        if isBreak(b) && droppedValueBreaks < Self.attributeBreaks {
                            output.append(b)
                            droppedValueBreaks += 1
                        }
                    case .comment:
                        if b == UInt8(ascii: "-") { run += 1 } else {
                            if b == UInt8(ascii: ">") && run >= 2 {
                                stopDropping(emitting: "-->")
                            } else if isBreak(b) {
                                keepDroppedBreak(b, reopen: "--><!--")
                            }
                            run = 0
                        }
                    case .instruction:
                        if b == UInt8(ascii: ">") && previous == UInt8(ascii: "?") {
                            stopDropping(emitting: "?>")
                        } else if isBreak(b) {
                            keepDroppedBreak(b, reopen: "?><?onegrid-dropped ")
                        }
                    }
                    previous = b
                    i += 1
                    continue
                }
                switch state {
                case .text:
                    if skipping != nil {
                        // Dropped content: only line breaks go on, in bounded text nodes.
                        var j = i
                        while j < n && p[j] != UInt8(ascii: "<") {
                            if isBreak(p[j]) { keepTextBreak(p[j]) }
                            j += 1
                        }
                        i = j
                        if j < n { state = .lt; i += 1 }
                        continue
                    }
                    if measure == nil {
                        var j = i
                        while j < n && p[j] != UInt8(ascii: "<") { j += 1 }
                        i = j
                        if j < n { state = .lt; i += 1 }
                        continue
                    }
                    if b == UInt8(ascii: "<") {
                        state = .lt
                    } else if mayCut {
                        startDropping(.text)
                        continue
                    } else {
                        measure?.add(b)
                    }
                case .lt:
                    name.removeAll(keepingCapacity: true)
                    nameDone = false
                    quote = 0
                    lastSignificant = 0
                    measure?.reset()
                    if b == UInt8(ascii: "!") { state = .bang; marker.removeAll(keepingCapacity: true) }
                    else if b == UInt8(ascii: "?") { state = .instruction; lastSignificant = 0 }
                    else if b == UInt8(ascii: "/") { state = .endTag }
                    else { state = .startTag; continue } // the byte is the name's first
                case .bang:
                    marker.append(b)
                    if marker == Array("--".utf8) { state = .comment; run = 0; measure?.reset() }
                    else if marker == Array("[CDATA[".utf8) { state = .cdata; run = 0; measure?.reset() }
                    else if !Array("[CDATA[".utf8).starts(with: marker) && !Array("--".utf8).starts(with: marker) {
                        state = .declaration
                        bracketDepth = 0
                        quote = 0
                        continue // judge this byte as part of the declaration
                    }
                case .comment:
                    if previous != UInt8(ascii: "-") && mayCut {
                        startDropping(.comment)
                        continue
                    }
                    measure?.add(b)
                    if b == UInt8(ascii: "-") { run += 1 } else {
                        if b == UInt8(ascii: ">") && run >= 2 { state = .text; measure?.reset() }
                        run = 0
                    }
                case .cdata:
                    if mayCut {
                        startDropping(.cdata, closingWith: "]]>")
                        continue
                    }
                    measure?.add(b)
                    if b == UInt8(ascii: "]") { run += 1 } else {
                        if b == UInt8(ascii: ">") && run >= 2 { state = .text; measure?.reset() }
                        run = 0
                    }
                case .instruction:
                    if previous != UInt8(ascii: "?") && mayCut {
                        startDropping(.instruction)
                        continue
                    }
                    measure?.add(b)
                    if b == UInt8(ascii: ">") && lastSignificant == UInt8(ascii: "?") { state = .text; measure?.reset() }
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
                        measure?.reset()
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
                        if b == quote {
                            quote = 0
                        } else if mayCut {
                            startDropping(.attribute)
                            continue
                        } else {
                            measure?.add(b)
                        }
                    } else if b == 0x22 || b == 0x27 {
                        quote = b
                        nameDone = true
                        measure?.reset()
                    } else if b == UInt8(ascii: ">") {
                        state = .text
                        measure?.reset()
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
                previous = b
                i += 1
            }
            flush(upTo: n)
        }
    }
}

/// A running lower bound of a value's size once decoded to UTF-8, and whether a cut before
/// the next byte keeps whole characters and references.
struct XMLValueMeasure {
    /// The encodings whose character boundaries are tracked.
    enum Family {
        case utf8
        /// GB18030 and its subsets GBK and GB2312.
        case gb18030
    }

    let family: Family
    /// At least this many UTF-8 bytes once decoded.
    private(set) var decodedAtLeast = 0
    /// Bytes still to come of the current character.
    private var pending = 0
    /// GB18030: a lead byte was seen, the next decides between two and four bytes.
    private var afterLead = false
    private var inReference = false
    /// What the current multi-byte character adds to the lower bound once complete.
    private var pendingSize = 0

    init(_ family: Family) {
        self.family = family
    }

    var atBoundary: Bool { pending == 0 && !afterLead && !inReference }

    mutating func reset() {
        decodedAtLeast = 0
        pending = 0
        afterLead = false
        inReference = false
    }

    mutating func add(_ b: UInt8) {
        switch family {
        case .utf8:
            if pending > 0 && b & 0xC0 == 0x80 {
                pending -= 1
                if pending == 0 { decodedAtLeast += pendingSize }
                return
            }
            pending = 0
            if b < 0x80 { addSingle(b) }
            else if b >= 0xF0 { pending = 3; pendingSize = 4 }
            else if b >= 0xE0 { pending = 2; pendingSize = 3 }
            else if b >= 0xC0 { pending = 1; pendingSize = 2 }
            else { decodedAtLeast += 1 } // a stray continuation byte: libxml2 will refuse it
        case .gb18030:
            if afterLead {
                afterLead = false
                if (0x30...0x39).contains(b) { pending = 2 } else { decodedAtLeast += 2 }
                return
            }
            if pending > 0 {
                pending -= 1
                if pending == 0 { decodedAtLeast += 3 }
                return
            }
            if (0x81...0xFE).contains(b) { afterLead = true } else { addSingle(b) }
        }
    }

    private mutating func addSingle(_ b: UInt8) {
        if b == UInt8(ascii: "&") {
            inReference = true
        } else if inReference {
            if b == UInt8(ascii: ";") {
                inReference = false
                decodedAtLeast += 1
            }
        } else if b != 0x0D {
            decodedAtLeast += 1
        }
    }
}
