import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

/// A value over the value limit anywhere in an XML file rejects its record and nothing more
/// (issue #12): libxml2 alone would fail the whole file on a text node over 10 MB, and a cut
/// value must never come out shorter than the limit, as if it had been whole.
@Suite("XML values over the limit")
struct XMLValueBoundTests {
    private let petitions = "/XFExport/Petition"
    private let thousand = RecordLimits(recordBytes: 1 << 20, valueBytes: 1000, repeatedItems: 100, keptRawBytes: 16)

    private func read(_ document: [UInt8], limits: RecordLimits = RecordLimits(), encoding: TextEncodingName? = nil,
                      skip: Set<String> = []) throws -> [(label: String, seen: [Seen])] {
        try readingPaths(document).filter { document.count < 1 << 20 || $0.label != "1-byte chunks" }.map { path in
            let options = FeedReaderOptions(encoding: encoding, xmlRecordPath: petitions, skipElements: skip, limits: limits)
            return (path.label, try readAll(try XMLRecordReader(stream: try path.stream(), path: "long.xml", options: options)))
        }
    }

    private func petitionB(line: Int) -> Seen {
        .tree(line: line, record: 2, value: .object([RecordMember(key: "@id", value: .string("B")), RecordMember(key: "Form", value: .string("来信"))]))
    }

    @Test func textOverTenMegabytesOutsideSkippedElementsRejectsOnlyItsRecord() throws {
        // Base64-like noise: one repeated byte would be a gzip bomb on the gzip-wrapped path.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var state: UInt32 = 54_321
        let long = (0..<(12 << 20)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return alphabet[Int(state >> 26)]
        }
        let document = bytes("<XFExport>\n<Petition id=\"A\"><Content>") + long
            + bytes("</Content></Petition>\n<Petition id=\"B\"><Form>来信</Form></Petition>\n</XFExport>\n")
        for (label, seen) in try read(document) {
            #expect(seen == [
                .unreadable(line: 2, offset: 0, record: 1, field: petitions,
                            problem: .recordTooLarge(limit: "a value over 1048576 bytes in <Content>"), raw: Array(bytes("<Petition id=\"A\"><Content>").prefix(4096))),
                petitionB(line: 3),
            ], "\(label)")
        }
    }

    @Test func referencesCountAsTheCharactersTheyStandFor() throws {
        // 990 `&amp;` are 4,950 bytes in the file and 990 once read: under the limit, whole.
        let amps = String(repeating: "&amp;", count: 990)
        let document = bytes("<XFExport><Petition id=\"A\"><Form>\(amps)</Form></Petition></XFExport>")
        for (label, seen) in try read(document, limits: thousand) {
            #expect(seen == [.tree(line: 1, record: 1, value: .object([
                RecordMember(key: "@id", value: .string("A")), RecordMember(key: "Form", value: .string(String(repeating: "&", count: 990))),
            ]))], "\(label)")
        }
    }

    @Test func aValueAtTheLimitIsReadWhole() throws {
        let text = String(repeating: "诉", count: 333) // 999 UTF-8 bytes
        let document = bytes("<XFExport><Petition id=\"A\"><Form>\(text)</Form></Petition></XFExport>")
        for (label, seen) in try read(document, limits: thousand) {
            #expect(seen == [.tree(line: 1, record: 1, value: .object([
                RecordMember(key: "@id", value: .string("A")), RecordMember(key: "Form", value: .string(text)),
            ]))], "\(label)")
        }
    }

    @Test func gb18030TextIsCutBetweenCharactersAndTheNextRecordReads() throws {
        // Two-byte (诉) and four-byte (𠀀, U+20000; € is two bytes in GBK but here 0x80 alone is not a lead byte) characters.
        let text = String(repeating: "诉𠀀a", count: 400)
        let utf8 = bytes("<?xml version=\"1.0\" encoding=\"GB18030\"?>\n<XFExport><Petition id=\"A\"><Form>\(text)</Form></Petition>\n<Petition id=\"B\"><Form>来信</Form></Petition></XFExport>")
        let document = try Transcoder(from: .utf8, to: .gb18030).convert(utf8)
        for (label, seen) in try read(document, limits: thousand) {
            #expect(seen.count == 2, "\(label)")
            guard seen.count == 2, case .unreadable(_, _, 1, _, let problem, _) = seen[0] else {
                Issue.record("record A should be rejected: \(seen)")
                continue
            }
            #expect(problem == .recordTooLarge(limit: "a value over 1000 bytes in <Form>"), "\(label)")
            #expect(seen[1] == petitionB(line: 3), "\(label)")
        }
    }

    @Test func cdataOverTheLimitRejectsItsRecord() throws {
        let long = String(repeating: "y", count: 3000)
        let document = bytes("<XFExport><Petition id=\"A\"><Form><![CDATA[\(long)]]></Form></Petition>\n<Petition id=\"B\"><Form>来信</Form></Petition></XFExport>")
        for (label, seen) in try read(document, limits: thousand) {
            #expect(seen == [
                .unreadable(line: 1, offset: 0, record: 1, field: petitions, problem: .recordTooLarge(limit: "a value over 1000 bytes in <Form>"),
                            raw: bytes("<Petition id=\"A\"")),
                petitionB(line: 2),
            ], "\(label)")
        }
    }

    @Test func attributeOverTheLimitRejectsItsRecord() throws {
        let long = String(repeating: "z", count: 3000)
        let document = bytes("<XFExport><Petition id=\"A\"><Form note=\"\(long)\">x</Form></Petition>\n<Petition id=\"B\"><Form>来信</Form></Petition></XFExport>")
        for (label, seen) in try read(document, limits: thousand) {
            #expect(seen == [
                .unreadable(line: 1, offset: 0, record: 1, field: petitions,
                            problem: .recordTooLarge(limit: "a value over 1000 bytes in attribute 'note' of <Form>"), raw: bytes("<Petition id=\"A\"")),
                petitionB(line: 2),
            ], "\(label)")
        }
    }

    @Test func rootAttributeOverTheLimitFailsTheFileNamingIt() throws {
        let document = bytes("<XFExport unit=\"\(String(repeating: "u", count: 3000))\"><Petition id=\"A\"/></XFExport>")
        let error = #expect(throws: FeedError.self) {
            _ = try XMLRecordReader(stream: MemoryByteStream(document), path: "root.xml",
                                    options: FeedReaderOptions(xmlRecordPath: petitions, limits: thousand))
        }
        #expect(error?.kind == .malformed)
        #expect(error?.message == "attribute 'unit' of the root element <XFExport> is over 1000 bytes")
        #expect(error?.position.field == "/XFExport/@unit")
    }

    @Test func aLongCommentIsDroppedAndItsRecordStillReadsWithItsLines() throws {
        // A comment is no value: the record keeps its fields; its line breaks still count.
        let comment = String(repeating: String(repeating: "-c", count: 40) + "\n", count: 5000)
        let document = bytes("<XFExport>\n<Petition id=\"A\"><Form>来访<!--\(comment)--></Form></Petition>\n<Petition id=\"B\"><Form>来信</Form></Petition></XFExport>")
        for (label, seen) in try read(document, limits: thousand) {
            #expect(seen == [
                .tree(line: 2, record: 1, value: .object([RecordMember(key: "@id", value: .string("A")), RecordMember(key: "Form", value: .string("来访"))])),
                petitionB(line: 5003),
            ], "\(label)")
        }
    }

    @Test func aLongProcessingInstructionIsDroppedWithoutFailingTheFile() throws {
        let document = bytes("<XFExport><?note \(String(repeating: "p?", count: 2000))?><Petition id=\"A\"><Form>来访</Form></Petition></XFExport>")
        for (label, seen) in try read(document, limits: thousand) {
            #expect(seen == [
                .tree(line: 1, record: 1, value: .object([RecordMember(key: "@id", value: .string("A")), RecordMember(key: "Form", value: .string("来访"))])),
            ], "\(label)")
        }
    }

    @Test func droppedTextKeepsLaterLineNumbers() throws {
        let lines = String(repeating: String(repeating: "w", count: 99) + "\n", count: 9000)
        let document = bytes("<XFExport>\n<Petition id=\"A\"><Content>\(lines)</Content></Petition>\n<Petition id=\"B\"><Form>来信</Form></Petition></XFExport>")
        for (label, seen) in try read(document, limits: thousand) {
            #expect(seen.last == petitionB(line: 9003), "\(label)")
        }
    }
}
