import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

/// XML that would change a value silently, or that the feed does not allow, fails the file.
@Suite("Hostile XML")
struct HostileXMLTests {
    @Test func entityInAnAttributeFailsTheFileNamingLineElementAndAttribute() throws {
        let path = fixturePath("xml/entity-in-attribute.xml")
        var seen: [Seen] = []
        let error = #expect(throws: FeedError.self) {
            let reader = try XMLRecordReader(path: path, options: FeedReaderOptions(xmlRecordPath: "/XFExport/Petition"))
            while let item = try reader.next() { seen.append(Seen(item)) }
        }
        #expect(seen == [])
        #expect(error?.kind == .malformed)
        #expect(error?.message == "entity reference '&x;' in attribute 'id' refused: feeds are read without expanding entities")
        #expect(error?.position.line == 4)
        #expect(error?.position.field == "Petition/@id")
        #expect(error?.position.description == "\(path):4: record 1, field 'Petition/@id'")
    }

    @Test func entityBombInAnAttributeFailsFastAndNeverBecomesAnEmptyKey() throws {
        var seen: [Seen] = []
        let error = #expect(throws: FeedError.self) {
            let reader = try XMLRecordReader(path: fixturePath("xml/attribute-entity-bomb.xml"),
                                             options: FeedReaderOptions(xmlRecordPath: "/XFExport/Petition"))
            while let item = try reader.next() { seen.append(Seen(item)) }
        }
        #expect(seen == [])
        #expect(error?.kind == .malformed)
    }

    @Test func declaredEncodingTheFeedDoesNotAllowFailsTheFileNamingIt() throws {
        let path = fixturePath("xml/latin1-declared.xml")
        #expect(throws: FeedError(kind: .malformed, position: SourcePosition(file: path, line: 1, column: 1),
                                  message: "the XML declaration names encoding 'ISO-8859-1', which this feed does not allow (allowed: UTF-8, GB2312, GBK, GB18030)")) {
            _ = try XMLRecordReader(path: path)
        }
    }

    @Test func encodingAllowedByTheOptionsIsRead() throws {
        let reader = try XMLRecordReader(path: fixturePath("xml/latin1-declared.xml"),
                                         options: FeedReaderOptions(allowedXMLEncodings: ["UTF-8", "ISO-8859-1"]))
        #expect(try readAll(reader) == [.tree(line: 2, record: 1, value: .object([
            RecordMember(key: "@id", value: .string("XF1")), RecordMember(key: "Form", value: .string("café")),
        ]))])
    }

    @Test(arguments: ["gb2312", "Gbk", "GB18030", "utf-8", "UTF8"])
    func feedEncodingsAreAllowedWhateverTheirSpelling(declared: String) throws {
        let text = "<?xml version=\"1.0\" encoding=\"\(declared)\"?>\n<R><P><Name>王</Name></P></R>\n"
        let isUTF8 = declared.lowercased().hasPrefix("utf")
        let data = isUTF8 ? bytes(text) : try Transcoder(from: .utf8, to: .gb18030).convert(bytes(text))
        let reader = try XMLRecordReader(stream: MemoryByteStream(data), path: "declared.xml")
        #expect(try readAll(reader) == [.tree(line: 2, record: 1, value: .object([RecordMember(key: "Name", value: .string("王"))]))])
    }

    @Test func attributesWithCharacterReferencesAndPrefixesStillRead() throws {
        let text = "<x:R xmlns:x=\"urn:a\"><x:P x:id=\"A&amp;B&#10;C\" note=\"&lt;1&gt;\"/></x:R>"
        let reader = try XMLRecordReader(stream: MemoryByteStream(bytes(text)), path: "refs.xml")
        #expect(try readAll(reader) == [.tree(line: 1, record: 1, value: .object([
            RecordMember(key: "@id", value: .string("A&B\nC")), RecordMember(key: "@note", value: .string("<1>")),
        ]))])
    }
}

/// Attachments of any size are skipped without being held (issue #12: over ~10 MB of base64
/// failed the whole file with libxml2's "huge text node").
@Suite("Skipped subtrees")
struct SkippedSubtreeTests {
    private let options = FeedReaderOptions(xmlRecordPath: "/XFExport/Petition", skipElements: ["Attachments"])

    @Test func attachmentOverTenMegabytesIsSkipped() throws {
        // Base64-like noise: one repeated byte would be a gzip bomb on the gzip-wrapped path.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var state: UInt32 = 12_345
        let base64 = (0..<(12 << 20)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return alphabet[Int(state >> 26)]
        }
        let document = bytes("<XFExport>\n<Petition id=\"A\"><Attachments><File name=\"big.jpg\">") + base64
            + bytes("</File></Attachments><Status>办结</Status></Petition>\n<Petition id=\"B\"><Form>来信</Form></Petition>\n</XFExport>\n")
        for path in try readingPaths(document) where path.label != "1-byte chunks" {
            let reader = try XMLRecordReader(stream: try path.stream(), path: "big.xml", options: options)
            let items = try readAll(reader)
            #expect(items == [
                .tree(line: 2, record: 1, value: .object([RecordMember(key: "@id", value: .string("A")), RecordMember(key: "Status", value: .string("办结"))])),
                .tree(line: 3, record: 2, value: .object([RecordMember(key: "@id", value: .string("B")), RecordMember(key: "Form", value: .string("来信"))])),
            ], "\(path.label)")
        }
    }

    @Test func lineBreaksInsideASkippedAttachmentStillCountForLineNumbers() throws {
        let lines = 9000
        let base64 = Array(repeating: bytes(String(repeating: "Q", count: 76) + "\n"), count: lines).flatMap { $0 }
        let document = bytes("<XFExport>\n<Petition id=\"A\"><Attachments><File name=\"a.jpg\">\n") + base64
            + bytes("</File></Attachments><Status>办结</Status></Petition>\n<Petition id=\"B\"><Form>来信</Form></Petition>\n</XFExport>\n")
        for path in try readingPaths(document) {
            let reader = try XMLRecordReader(stream: try path.stream(), path: "lines.xml", options: options)
            let items = try readAll(reader)
            #expect(items == [
                .tree(line: 2, record: 1, value: .object([RecordMember(key: "@id", value: .string("A")), RecordMember(key: "Status", value: .string("办结"))])),
                .tree(line: 4 + lines, record: 2, value: .object([RecordMember(key: "@id", value: .string("B")), RecordMember(key: "Form", value: .string("来信"))])),
            ], "\(path.label)")
        }
    }

    @Test func markupInsideCommentsCDATAAndPrefixesIsNotMistakenForTheSkippedElement() throws {
        let text = """
        <?xml version="1.0"?>
        <!DOCTYPE XFExport [<!ELEMENT XFExport ANY><!-- <Attachments> -->]>
        <XFExport xmlns:a="urn:a">
        <Petition id="A"><Note><![CDATA[<Attachments>not skipped</Attachments>]]></Note><!-- <Attachments> --><a:Attachments n="1"><File><Attachments>x</Attachments>y</File></a:Attachments><Form>来访</Form><Attachments/></Petition>
        </XFExport>
        """
        for path in try readingPaths(bytes(text)) {
            let reader = try XMLRecordReader(stream: try path.stream(), path: "tricky.xml", options: options)
            let items = try readAll(reader)
            #expect(items == [.tree(line: 4, record: 1, value: .object([
                RecordMember(key: "@id", value: .string("A")),
                RecordMember(key: "Note", value: .string("<Attachments>not skipped</Attachments>")),
                RecordMember(key: "Form", value: .string("来访")),
            ]))], "\(path.label)")
        }
    }

    @Test func fileCutOffInsideASkippedElementStillFails() throws {
        let document = bytes("<XFExport><Petition id=\"A\"><Attachments><File>QUJD")
        let reader = try XMLRecordReader(stream: MemoryByteStream(document), path: "cut.xml", options: options)
        let error = #expect(throws: FeedError.self) { while try reader.next() != nil {} }
        #expect(error?.kind == .malformed)
    }
}
