import Foundation
import OneGridFeeds
import OneGridModel
import Testing

/// The first item a reader yields that is not a skipped line.
private func firstItem(_ reader: (any FeedReader)?) throws -> ReadItem? {
    while let item = try reader?.next() {
        if case .skipped = item { continue }
        return item
    }
    return nil
}

@Suite("Each format says how its files open and how one stored record is read again")
struct FeedFormatReaderTests {
    @Test("a CSV file's record context is its header record as stored, and a row read again lands under it")
    func csvContext() throws {
        let folder = NSTemporaryDirectory() + "onegrid-format-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/a.csv"
        try Data("编号,地址\r\nK1,学海路1号\r\nK2,\"学海路,2号\"\r\n".utf8).write(to: URL(fileURLWithPath: path))
        let reader = try FeedReaders.open(path: path, format: .csv)
        #expect(reader.recordContext == Array("编号,地址".utf8))
        _ = try firstItem(reader)
        guard case .record(let second)? = try firstItem(reader) else { Issue.record("no second record"); return }
        let again = try FeedFormat.csv.reader.rereading(raw: second.raw, context: reader.recordContext, encoding: .utf8,
                                                         path: path, options: FeedReaderOptions())
        guard case .record(let reread)? = try firstItem(again) else { Issue.record("not read again"); return }
        #expect(again?.header == ["编号", "地址"])
        guard case .row(let cells) = reread.content else { Issue.record("not a row"); return }
        #expect(cells == ["K2", "学海路,2号"])
    }

    @Test("a CSV record without its header record cannot be read again; JSON and XML records stand alone")
    func standAlone() throws {
        #expect(try FeedFormat.csv.reader.rereading(raw: Array("K1,x".utf8), context: nil, encoding: nil, path: "a.csv",
                                                     options: FeedReaderOptions()) == nil)
        let json = try FeedFormat.jsonl.reader.rereading(raw: Array(#"{"id":"A1"}"#.utf8), context: nil, encoding: nil,
                                                          path: "a.jsonl", options: FeedReaderOptions())
        guard case .record(let line)? = try firstItem(json) else { Issue.record("JSON line not read again"); return }
        guard case .tree(let object) = line.content else { Issue.record("not a tree"); return }
        #expect(object == .object([RecordMember(key: "id", value: .string("A1"))]))
        var options = FeedReaderOptions()
        options.xmlRecordPath = "/XFExport/Petition"
        let xml = try FeedFormat.xml.reader.rereading(raw: Array("<Petition><XFBH>XF1</XFBH></Petition>".utf8), context: nil,
                                                       encoding: nil, path: "a.xml", options: options)
        guard case .record(let element)? = try firstItem(xml) else { Issue.record("XML record not read again"); return }
        guard case .tree(let petition) = element.content else { Issue.record("not a tree"); return }
        #expect(petition == .object([RecordMember(key: "XFBH", value: .string("XF1"))]))
    }
}
