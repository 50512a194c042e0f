// Implementation-only: libxml2's headers pull in the system ICU types, which clash with
// Foundation's `_FoundationICU` in any client module that also imports Foundation (release
// builds with cross-module optimisation load this import in clients otherwise). No
// libxml2 type appears in a stored property's type (the reader is an `OpaquePointer`), so
// the class layout clients see does not depend on the C module.
@_implementationOnly import CLibXML2
import OneGridCodecs
import OneGridModel

// ADVICE FOR HACKERS — the libxml2 reader loop.
//
// * Streaming: libxml2's xmlTextReader pulls bytes through `xmlReaderForIO` callbacks from
//   our ByteStream (so gzip works) and frees each node once the cursor has passed it. Never
//   call xmlTextReaderExpand/Preserve on records: a 300 MB file would then be held whole.
//   We build each record's RecordValue from reader events (start, text, end) instead.
// * Empty elements (`<Step .../>`) produce a start event and NO end event: check
//   xmlTextReaderIsEmptyElement and close the frame at once.
// * Skipping: the content of skipped elements never reaches libxml2 (XMLSubtreeFilter drops
//   it from the bytes, keeping line breaks); on the start of a skipped element we call
//   xmlTextReaderNext, which jumps past what is left of the subtree; the reader is then
//   already ON the next node, so the loop must not call xmlTextReaderRead before handling
//   it (`pendingStatus`).
// * Limits: a record over `RecordLimits` stops being built (`oversize`), its elements are
//   still counted open and closed to find its end, and it comes out as `.recordTooLarge`
//   with its first raw bytes; libxml2 frees nodes behind the cursor, so memory stays flat.
// * Security (DESIGN invariant 7): options are NONET (+NOCDATA, IGNORE_ENC when we force the
//   encoding), never NOENT/DTDLOAD/DTDATTR/HUGE; the reader properties LOADDTD,
//   DEFAULTATTRS, VALIDATE and SUBST_ENTITIES are switched off; and a process-wide external
//   entity loader refuses every load. Entities are therefore never expanded: libxml2 hands
//   an unexpanded entity reference node to us, and we fail the file on it (.malformed) —
//   refusing is clearer than loading a value that silently lacks its text. libxml2's own
//   amplification guard stops entity bombs even earlier.
// * Errors: a per-reader structured error handler (and the thread's global one, for
//   encoding errors raised without a parser context) captures libxml2's messages instead of
//   letting them go to stderr; the first error with its line and column becomes the
//   FeedError. Warnings are ignored.
// * Encoding: the declaration is sniffed first; the GB family is forced to GB18030 (a
//   superset) with XML_PARSE_IGNORE_ENC so libxml2 does not switch back to a stricter
//   GB2312 decoder when it meets the declaration.
// * Line numbers: an element node's line is stored in an unsigned short in libxml2 2.9; past
//   line 65535 we fall back to the parser's current line, which may be a little ahead.

/// Reads an XML feed (plain or gzip) with libxml2's streaming reader, handing on one
/// `SourceRecord` per record element.
///
/// Record elements are selected by a path of local names (`/XFExport/Petition`), so default
/// and prefixed namespaces do not matter. Each record becomes a `RecordValue` tree:
/// attributes under `@name`, child elements under their local name (repeated in order),
/// the element's own text under `#text`, a text-only element without attributes as
/// `.string`, an empty one as `.string("")`; CDATA counts as text; white space between
/// elements is ignored. `raw` is a compact UTF-8 re-serialisation of the record (skipped
/// subtrees omitted). A file that is cut off, not well-formed, or uses entities fails as a
/// whole with `.malformed` and the line and column of the fault.
public final class XMLRecordReader: FeedReader {
    public let path: String
    public var header: [String]? { nil }
    public private(set) var encoding: TextEncodingName
    public let isGzip: Bool
    public let fileSize: Int64
    public var bytesConsumed: Int64 { input.stream.bytesConsumed }
    /// The root element's attributes (e.g. `exportedAt`, `unit`), by local name; read when
    /// the reader opens. Namespace declarations are not included.
    public private(set) var documentAttributes: [String: String] = [:]
    /// The root element's local name.
    public private(set) var rootName: String = ""

    private let recordPath: XMLRecordPath
    private let skipElements: Set<String>
    private let input: XMLInput
    private let errors = XMLErrorSink()
    private let reader: OpaquePointer
    private var pendingStatus: Int32?
    private var outerPath: [String] = []
    private var frames: [Frame] = []
    private var raw: [UInt8] = []
    private var recordPosition = SourcePosition(file: "")
    private var ordinal = 0
    private var finished = false
    private let limits: RecordLimits
    /// The record being read went over a limit (which, in words): from then on nothing of it
    /// is built or kept beyond the first raw bytes; it ends as `.recordTooLarge`.
    private var oversize: String?

    private struct Frame {
        var name: String
        var members: [RecordMember] = []
        var text = ""
    }

    public convenience init(path: String, options: FeedReaderOptions = FeedReaderOptions(), tap: ByteTap? = nil) throws(FeedError) {
        let file = try OpenedFile(path: path, options: options, tap: tap)
        try self.init(stream: file.stream, path: path, isGzip: file.isGzip, fileSize: file.size, options: options)
    }

    public init(stream: any ByteStream, path: String, isGzip: Bool = false, fileSize: Int64 = 0,
                options: FeedReaderOptions = FeedReaderOptions()) throws(FeedError) {
        XMLLibrary.setUp()
        self.path = path
        self.isGzip = isGzip
        self.fileSize = fileSize
        recordPath = XMLRecordPath(options.xmlRecordPath)
        skipElements = options.skipElements
        limits = options.limits
        var source = stream
        let sample: [UInt8]
        do {
            sample = try readSample(from: &source, count: 1024)
        } catch {
            throw FeedError(error, at: SourcePosition(file: path))
        }
        let declared = XMLDeclaration.declaredEncoding(in: sample)
        if let declared, options.encoding == nil, !XMLDeclaration.isAllowed(declared, in: options.allowedXMLEncodings) {
            throw FeedError(kind: .malformed, position: SourcePosition(file: path, line: 1, column: 1),
                            message: "the XML declaration names encoding '\(declared)', which this feed does not allow "
                                + "(allowed: \(options.allowedXMLEncodings.joined(separator: ", ")))")
        }
        let forced = XMLDeclaration.readingEncoding(declared: declared, forced: options.encoding)
        encoding = forced ?? .utf8
        let whole = PrefixedByteStream(prefix: sample, rest: source)
        // Skipped subtrees and the tails of over-long values are dropped before libxml2 sees
        // them: it would build their text whole, and fail the file past 10 MB.
        let characters: XMLValueMeasure.Family? = switch forced {
        case .utf8?: .utf8
        case .gb18030?: .gb18030
        default: nil
        }
        let filtered = !skipElements.isEmpty || characters != nil
        let input = XMLInput(stream: filtered
            ? XMLSubtreeFilter(source: whole, skip: skipElements, valueLimit: limits.valueBytes, characters: characters)
            : whole)
        self.input = input
        let context = Unmanaged.passUnretained(input).toOpaque()

        var parseOptions = XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue
        if forced != nil { parseOptions |= XML_PARSE_IGNORE_ENC.rawValue }
        let encodingName: String? = forced.map { $0 == .utf8 ? "UTF-8" : "GB18030" }
        let created: xmlTextReaderPtr? = path.withCString { url in
            if let encodingName {
                return encodingName.withCString { enc in
                    xmlReaderForIO(xmlInputRead, nil, context, url, enc, Int32(parseOptions))
                }
            }
            return xmlReaderForIO(xmlInputRead, nil, context, url, nil, Int32(parseOptions))
        }
        guard let created else {
            throw FeedError(kind: .io, position: SourcePosition(file: path), message: "libxml2 could not create a reader")
        }
        reader = created
        for property in [XML_PARSER_LOADDTD, XML_PARSER_DEFAULTATTRS, XML_PARSER_VALIDATE, XML_PARSER_SUBST_ENTITIES] {
            xmlTextReaderSetParserProp(reader, Int32(property.rawValue), 0)
        }
        xmlTextReaderSetStructuredErrorHandler(reader, xmlErrorRelay, Unmanaged.passUnretained(errors).toOpaque())
        try readRoot()
    }

    deinit { xmlFreeTextReader(reader) }

    /// Reads up to the root element, collects its attributes, and leaves it for `next()`.
    private func readRoot() throws(FeedError) {
        while true {
            let status = guardedRead()
            if status != 1 { try fail(status: status, context: "the document has no root element") }
            if xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue) {
                rootName = localName()
                let attributes = try attributes()
                // Every record reads them: one over the limit cannot be a rejected record.
                if let long = attributes.first(where: { $0.value.utf8.count > limits.valueBytes }) {
                    throw FeedError(kind: .malformed,
                                    position: SourcePosition(file: path, line: currentLine(), field: "/\(rootName)/@\(long.name)"),
                                    message: "attribute '\(long.name)' of the root element <\(rootName)> is over \(limits.valueBytes) bytes")
                }
                documentAttributes = Dictionary(attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
                pendingStatus = 1
                return
            }
        }
    }

    /// One xmlTextReaderRead with this reader's error sink installed as the thread's
    /// global handler too (encoding errors are raised without a parser context).
    private func guardedRead(next: Bool = false) -> Int32 {
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(errors).toOpaque(), xmlErrorRelay)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        return next ? xmlTextReaderNext(reader) : xmlTextReaderRead(reader)
    }

    private func fail(status: Int32, context: String) throws(FeedError) -> Never {
        finished = true
        if let ioError = input.ioError {
            throw FeedError(ioError, at: SourcePosition(file: path))
        }
        if let error = errors.first {
            var message = error.message
            let open = outerPath + frames.map(\.name)
            if error.code == Int32(XML_ERR_DOCUMENT_END.rawValue) && !open.isEmpty {
                // libxml2's push parser words a cut-off file as "Extra content at the end of
                // the document"; say what actually happened.
                message = "the file ends inside <\(open.joined(separator: "/"))>, it was cut off (libxml2: \(message))"
            }
            throw FeedError(kind: .malformed, position: SourcePosition(file: path, line: error.line, column: error.column),
                            message: message)
        }
        let line = Int(xmlTextReaderGetParserLineNumber(reader))
        let column = Int(xmlTextReaderGetParserColumnNumber(reader))
        throw FeedError(kind: status == 0 ? .notThisFormat : .malformed,
                        position: SourcePosition(file: path, line: line, column: column),
                        message: context)
    }

    private func localName() -> String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    private func value() -> String {
        xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    }

    /// The current element's attributes by local name, namespace declarations left out.
    /// An attribute whose value refers to an entity fails the file, as an entity in text
    /// does: libxml2 keeps the reference in the attribute's value nodes and would hand out
    /// its expansion (`XF-&x;` as `XF-hello`) if asked for the value.
    private func attributes(record: Int = 0) throws(FeedError) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        guard xmlTextReaderHasAttributes(reader) == 1 else { return result }
        let count = xmlTextReaderAttributeCount(reader)
        // By index, not MoveToNextAttribute: reading an attribute's value nodes moves the
        // cursor off the attribute, and the index finds the next one from the element.
        for index in 0..<max(0, count) {
            guard xmlTextReaderMoveToAttributeNo(reader, index) == 1 else { break }
            if xmlTextReaderIsNamespaceDecl(reader) == 1 { continue }
            let name = localName()
            var text = ""
            while xmlTextReaderReadAttributeValue(reader) == 1 {
                if xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue) {
                    let entity = localName()
                    xmlTextReaderMoveToElement(reader)
                    let element = localName()
                    finished = true
                    throw FeedError(kind: .malformed,
                                    // The parser reads ahead of the reader, so its column is not the
                                    // attribute's: the element and attribute name it instead.
                                    position: SourcePosition(file: path, line: currentLine(), record: record,
                                                             field: "\(element)/@\(name)"),
                                    message: "entity reference '&\(entity);' in attribute '\(name)' refused: feeds are read without expanding entities")
                }
                text += value()
            }
            result.append((name, text))
        }
        xmlTextReaderMoveToElement(reader)
        return result
    }


    private func currentLine() -> Int {
        if let node = xmlTextReaderCurrentNode(reader) {
            let line = Int(xmlGetLineNo(node))
            if line > 0 && line < 65535 { return line }
        }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    public func next() throws(FeedError) -> ReadItem? {
        if finished { return nil }
        while true {
            let status: Int32
            if let pending = pendingStatus {
                status = pending
                pendingStatus = nil
            } else {
                status = guardedRead()
            }
            if status != 1 || errors.first != nil {
                if status == 0 && errors.first == nil && input.ioError == nil {
                    finished = true
                    return nil
                }
                try fail(status: status, context: "the document is not well-formed")
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                if let item = try startElement() { return item }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if let item = endElement() { return item }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                if !frames.isEmpty && oversize == nil {
                    let text = value()
                    frames[frames.count - 1].text += text
                    if frames[frames.count - 1].text.utf8.count > limits.valueBytes {
                        markOversize("a value over \(limits.valueBytes) bytes in <\(frames[frames.count - 1].name)>")
                    } else {
                        keepRaw(text: text, attribute: false)
                    }
                }
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                finished = true
                throw FeedError(kind: .malformed,
                                position: SourcePosition(file: path, line: currentLine(), record: frames.isEmpty ? 0 : ordinal),
                                message: "entity reference '&\(localName());' refused: feeds are read without expanding entities")
            default:
                break // white space between elements, comments, processing instructions, DOCTYPE
            }
        }
    }

    /// Appends to the record's compact raw form, within the record limit.
    private func keepRaw(text: String, attribute: Bool) {
        XMLEscaping.appendText(text, to: &raw, attribute: attribute)
        if raw.count > limits.recordBytes { markOversize("a record over \(limits.recordBytes) bytes") }
    }

    /// The record went over a limit: drop what was built (keeping the open elements' names,
    /// to find the record's end) and all but the first raw bytes.
    private func markOversize(_ why: String) {
        oversize = why
        frames = frames.map { Frame(name: $0.name) }
        if raw.count > limits.keptRawBytes { raw.removeSubrange(limits.keptRawBytes...) }
    }

    private func startElement() throws(FeedError) -> ReadItem? {
        let name = localName()
        let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
        if frames.isEmpty {
            outerPath.append(name)
            guard recordPath.matches(outerPath) else {
                if isEmpty { outerPath.removeLast() }
                return nil
            }
            outerPath.removeLast()
            ordinal += 1
            recordPosition = SourcePosition(file: path, line: currentLine(), record: ordinal, field: "/" + (outerPath + [name]).joined(separator: "/"))
            raw.removeAll(keepingCapacity: true)
            oversize = nil
        } else if skipElements.contains(name) {
            // Jump over the whole subtree; the reader then stands on the next node already.
            pendingStatus = guardedRead(next: true)
            return nil
        } else if oversize == nil && frames[frames.count - 1].members.count >= limits.repeatedItems {
            markOversize("more than \(limits.repeatedItems) children in <\(frames[frames.count - 1].name)>")
        }
        var frame = Frame(name: name)
        let attributes = try attributes(record: ordinal)
        if oversize == nil {
            raw.append(UInt8(ascii: "<"))
            raw.append(contentsOf: name.utf8)
            for attribute in attributes {
                if attribute.value.utf8.count > limits.valueBytes {
                    markOversize("a value over \(limits.valueBytes) bytes in attribute '\(attribute.name)' of <\(name)>")
                    break
                }
                frame.members.append(RecordMember(key: "@" + attribute.name, value: .string(attribute.value)))
                raw.append(UInt8(ascii: " "))
                raw.append(contentsOf: attribute.name.utf8)
                raw.append(contentsOf: "=\"".utf8)
                keepRaw(text: attribute.value, attribute: true)
                raw.append(UInt8(ascii: "\""))
            }
        }
        if oversize == nil && raw.count > limits.recordBytes { markOversize("a record over \(limits.recordBytes) bytes") }
        if oversize != nil { frame = Frame(name: name) }
        if isEmpty {
            if oversize == nil { raw.append(contentsOf: "/>".utf8) }
            frames.append(frame)
            return close(writingEndTag: false)
        }
        if oversize == nil { raw.append(UInt8(ascii: ">")) }
        frames.append(frame)
        return nil
    }

    private func endElement() -> ReadItem? {
        if frames.isEmpty {
            if !outerPath.isEmpty { outerPath.removeLast() }
            return nil
        }
        return close(writingEndTag: true)
    }

    /// Closes the innermost open element; returns the record when it was the record element.
    private func close(writingEndTag: Bool) -> ReadItem? {
        var frame = frames.removeLast()
        if let oversize {
            guard frames.isEmpty else { return nil }
            let kept = raw
            raw = []
            self.oversize = nil
            return .unreadable(UnreadableRecord(position: recordPosition, reason: .recordTooLarge(limit: oversize), raw: kept))
        }
        if writingEndTag {
            raw.append(contentsOf: "</".utf8)
            raw.append(contentsOf: frame.name.utf8)
            raw.append(UInt8(ascii: ">"))
        }
        let value: RecordValue
        if frame.members.isEmpty {
            value = .string(frame.text)
        } else {
            if !frame.text.isEmpty { frame.members.append(RecordMember(key: "#text", value: .string(frame.text))) }
            value = .object(frame.members)
        }
        if frames.isEmpty {
            let record = SourceRecord(position: recordPosition, content: .tree(value), raw: raw)
            raw = []
            return .record(record)
        }
        frames[frames.count - 1].members.append(RecordMember(key: frame.name, value: value))
        return nil
    }
}

/// Bridges libxml2's read callback to a ByteStream, remembering an I/O failure so it is
/// reported as such and not as a parse error.
private final class XMLInput {
    var stream: any ByteStream
    var ioError: ByteIOError?
    private var scratch: [UInt8] = []

    init(stream: any ByteStream) {
        self.stream = stream
    }

    func read(into destination: UnsafeMutablePointer<CChar>, count: Int) -> Int32 {
        scratch.removeAll(keepingCapacity: true)
        do {
            let n = try stream.read(into: &scratch, maxCount: count)
            scratch.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(destination).copyMemory(from: bytes.baseAddress!, byteCount: n)
            }
            return Int32(n)
        } catch {
            ioError = error
            return -1
        }
    }
}

/// The first error libxml2 reported, with its line and column.
private final class XMLErrorSink {
    struct Captured {
        var message: String
        var line: Int
        var column: Int
        var code: Int32
    }

    var first: Captured?
}

private let xmlInputRead: xmlInputReadCallback = { context, buffer, length in
    guard let context, let buffer, length > 0 else { return 0 }
    return Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue().read(into: buffer, count: Int(length))
}

private let xmlErrorRelay: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let sink = Unmanaged<XMLErrorSink>.fromOpaque(context).takeUnretainedValue()
    guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue, sink.first == nil else { return }
    var message = error.pointee.message.map { String(cString: $0) } ?? "XML error \(error.pointee.code)"
    while message.last?.isNewline == true { message.removeLast() }
    sink.first = .init(message: message, line: Int(error.pointee.line), column: Int(error.pointee.int2), code: error.pointee.code)
}

/// Process-wide libxml2 set-up, done once.
private enum XMLLibrary {
    /// Refuses every external entity and DTD load, whatever the options say: defence in
    /// depth behind NONET and the absent NOENT/DTDLOAD. Process-wide by libxml2's design;
    /// nothing in OneGrid loads external XML resources.
    private static let once: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    static func setUp() { _ = once }
}
