import OneGridCodecs
import OneGridFeeds
import OneGridModel
import Testing

private func m(_ key: String, _ value: RecordValue) -> RecordMember { RecordMember(key: key, value: value) }

/// The first petition of xml/petition-utf8.xml, with `Attachments` skipped.
private let firstPetition = RecordValue.object([
    m("@id", .string("XF1")),
    m("Form", .string("来访")),
    m("Collective", .object([m("@headcount", .string("12")), m("#text", .string("true"))])),
    m("Petitioners", .object([
        m("Person", .object([m("@lead", .string("true")), m("Name", .string("张某某")), m("Phone", .string("13800000000"))])),
        m("Person", .object([m("Name", .string("李某"))])),
    ])),
    m("Content", .string("油烟 <很大> & 噪音")),
    m("Handling", .object([
        m("Step", .object([m("@at", .string("2020-06-23 10:00")), m("@action", .string("受理"))])),
        m("Step", .object([m("@at", .string("2020-07-10 16:20")), m("@action", .string("办结")), m("Result", .string("已整改"))])),
    ])),
    m("RepeatOf", .string("")),
    m("Status", .string("")),
])

private let secondPetition = RecordValue.object([m("@id", .string("XF2")), m("Form", .string("来信"))])

private let petitionOptions = FeedReaderOptions(xmlRecordPath: "/XFExport/Petition", skipElements: ["Attachments"])

/// The UTF-8 fixture re-encoded and re-declared (GB2312 / GBK / GB18030).
private func petitionBytes(declaring encoding: String) throws -> [UInt8] {
    let text = String(decoding: try fixtureBytes("xml/petition-utf8.xml"), as: UTF8.self)
        .replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"\(encoding)\"")
    return try Transcoder(from: .utf8, to: .gb18030).convert(bytes(text))
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

@Suite("XML record reader")
struct XMLReaderTests {
    @Test func utf8PetitionsThroughEveryReadingPath() throws {
        for path in try readingPaths(try fixtureBytes("xml/petition-utf8.xml")) {
            let reader = try XMLRecordReader(stream: try path.stream(), path: "petition-utf8.xml", options: petitionOptions)
            #expect(reader.documentAttributes == ["exportedAt": "2020-06-30T18:00:00+08:00", "unit": "六合区信访局"], "\(path.label)")
            #expect(reader.encoding == .utf8)
            #expect(try readAll(reader) == [
                .tree(line: 3, record: 1, value: firstPetition),
                .tree(line: 19, record: 2, value: secondPetition),
            ], "\(path.label)")
        }
    }

    @Test func recordCarriesPositionAndCompactRaw() throws {
        let path = fixturePath("xml/petition-utf8.xml")
        let reader = try XMLRecordReader(path: path, options: petitionOptions)
        _ = try reader.next()
        guard case .record(let second) = try reader.next() else { Issue.record("no second record"); return }
        #expect(second.position == SourcePosition(file: path, line: 19, record: 2, field: "/XFExport/Petition"))
        #expect(String(decoding: second.raw, as: UTF8.self) == "<Petition id=\"XF2\"><Form>来信</Form></Petition>")
        #expect(try reader.next().map(Seen.init) == nil)
    }

    @Test func attachmentsAreKeptWhenNotSkipped() throws {
        let reader = try XMLRecordReader(path: fixturePath("xml/petition-utf8.xml"), options: FeedReaderOptions(xmlRecordPath: "/XFExport/Petition"))
        guard case .record(let first) = try reader.next(), case .tree(let tree) = first.content else { Issue.record("no record"); return }
        #expect(tree.children(named: "Attachments") == [.object([m("File", .object([m("@name", .string("a.jpg")), m("#text", .string("QUJD"))]))])])
    }

    @Test(arguments: ["GB2312", "GBK", "GB18030", "gb2312"])
    func chineseDeclaredEncodingsReadCorrectly(declared: String) throws {
        let data = try petitionBytes(declaring: declared)
        for path in try readingPaths(data) {
            let reader = try XMLRecordReader(stream: try path.stream(), path: "petition.xml", options: petitionOptions)
            #expect(reader.encoding == .gb18030)
            #expect(reader.documentAttributes["unit"] == "六合区信访局", "\(path.label)")
            #expect(try readAll(reader) == [
                .tree(line: 3, record: 1, value: firstPetition),
                .tree(line: 19, record: 2, value: secondPetition),
            ], "\(declared) \(path.label)")
        }
    }

    @Test func gbkOnlyCharacterInAGB2312DeclaredFile() throws {
        let text = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\n<R><P><Name>朱镕基</Name></P></R>\n"
        let data = try Transcoder(from: .utf8, to: .gb18030).convert(bytes(text))
        let reader = try XMLRecordReader(stream: MemoryByteStream(data), path: "gbk.xml")
        #expect(try readAll(reader) == [.tree(line: 2, record: 1, value: .object([m("Name", .string("朱镕基"))]))])
    }

    @Test func gzipFileFromDisk() throws {
        let path = temporaryPath(".xml.gz")
        try writeFile(path, try gzipped(try fixtureBytes("xml/petition-utf8.xml")))
        let reader = try FeedReaders.open(path: path, format: .xml, options: petitionOptions)
        #expect(reader.isGzip)
        #expect(try readAll(reader).count == 2)
    }

    @Test func prefixedNamespacesMatchByLocalName() throws {
        let text = "<x:Export xmlns:x=\"urn:a\" x:at=\"1\"><x:Petition x:id=\"P\"><x:Form>来访</x:Form></x:Petition></x:Export>"
        let reader = try XMLRecordReader(stream: MemoryByteStream(bytes(text)), path: "ns.xml",
                                         options: FeedReaderOptions(xmlRecordPath: "/Export/Petition"))
        #expect(reader.documentAttributes == ["at": "1"])
        #expect(try readAll(reader) == [.tree(line: 1, record: 1, value: .object([m("@id", .string("P")), m("Form", .string("来访"))]))])
    }

    @Test func largeSkippedAttachmentIsNeverBuilt() throws {
        let base64 = [UInt8](repeating: UInt8(ascii: "Q"), count: 5 * 1024 * 1024)
        let document = bytes("<XFExport><Petition id=\"A\"><Attachments><File name=\"big.jpg\">") + base64
            + bytes("</File></Attachments><Status>办结</Status></Petition></XFExport>")
        let reader = try XMLRecordReader(stream: MemoryByteStream(document, chunkSizes: [65536]), path: "big.xml",
                                         options: petitionOptions)
        guard case .record(let record) = try reader.next() else { Issue.record("no record"); return }
        #expect(record.content.tree == .object([m("@id", .string("A")), m("Status", .string("办结"))]))
        #expect(record.raw.count < 100)
    }

    @Test func truncatedFileFailsWithLineAndColumn() throws {
        let path = fixturePath("xml/truncated.xml")
        let reader = try XMLRecordReader(path: path, options: petitionOptions)
        guard case .record = try reader.next() else { Issue.record("the first record should load"); return }
        let error = #expect(throws: FeedError.self) { _ = try reader.next() }
        #expect(error?.kind == .malformed)
        #expect(error?.position.line == 7)
        #expect(error?.position.column == 12)
        #expect(error?.message == "the file ends inside <XFExport/Petition/Form>, it was cut off (libxml2: Extra content at the end of the document)")
        #expect(try reader.next().map(Seen.init) == nil)
    }

    @Test func notWellFormedFileFailsWithLineAndColumn() throws {
        let path = fixturePath("xml/malformed.xml")
        // A small file fails as soon as libxml2 has parsed its first chunk: at open, here.
        let error = #expect(throws: FeedError.self) {
            let reader = try XMLRecordReader(path: path, options: petitionOptions)
            while try reader.next() != nil {}
        }
        // libxml2 counts columns in characters; 20 is just past `</From>`.
        #expect(error == FeedError(kind: .malformed, position: SourcePosition(file: path, line: 4, column: 20),
                                   message: "Opening and ending tag mismatch: Form line 4 and From"))
    }

    @Test func externalEntityIsNeverLoaded() throws {
        let passwd = try FileByteStream.prefix(of: "/etc/passwd", count: 4096)
        let firstLine = String(decoding: passwd.prefix { $0 != 0x0A }, as: UTF8.self)
        let path = fixturePath("xml/xxe.xml")
        let reader = try XMLRecordReader(path: path, options: FeedReaderOptions(xmlRecordPath: "/XFExport/Petition"))
        var seen: [String] = []
        let error = #expect(throws: FeedError.self) {
            while let item = try reader.next() { seen.append("\(Seen(item))") }
        }
        #expect(error?.kind == .malformed)
        #expect(error?.message == "entity reference '&xxe;' refused: feeds are read without expanding entities")
        #expect(!firstLine.isEmpty)
        #expect(seen.allSatisfy { !$0.contains(firstLine) && !$0.contains("root:") })
    }

    @Test func entityBombFailsFastWithoutExpanding() throws {
        let clock = ContinuousClock()
        var error: FeedError?
        let elapsed = clock.measure {
            do throws(FeedError) {
                let reader = try XMLRecordReader(path: fixturePath("xml/entity-bomb.xml"), options: FeedReaderOptions(xmlRecordPath: "/XFExport/Petition"))
                while try reader.next() != nil {}
            } catch let failure {
                error = failure
            }
        }
        #expect(error?.kind == .malformed)
        #expect(elapsed < .seconds(5))
    }

    @Test func elementsAreSelectedByWildcardPath() throws {
        let reader = try FeedReaders.open(path: fixturePath("xml/petition-utf8.xml"), format: .xml,
                                          options: FeedReaderOptions(skipElements: ["Attachments"]))
        #expect(try readAll(reader) == [.tree(line: 3, record: 1, value: firstPetition), .tree(line: 19, record: 2, value: secondPetition)])
    }
}

extension SourceRecord.Content {
    var tree: RecordValue? {
        if case .tree(let value) = self { return value }
        return nil
    }
}

