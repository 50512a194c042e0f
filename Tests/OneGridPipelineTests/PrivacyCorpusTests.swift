import Foundation
import OneGridCodecs
import OneGridExport
@testable import OneGridPipeline
import OneGridPrivacy
import Testing

/// Builds a feed's corpus from the first record of one of its sample files: one copy per
/// identifier form, the record's key made unique. Every fourth copy has every value replaced
/// by the identifier (dates and numbers too, so the record is rejected and its raw record is
/// kept); the others keep date-times, replace numbers and codes by the identifier and append
/// it to every text.
enum PrivacyCorpus {
    static func value(_ v: String, copy i: Int) -> String {
        let id = corpusIdentifiers[i % corpusIdentifiers.count].typed
        if i % 4 == 0 { return id }
        let isDateTime = v.hasPrefix("20") && (v.contains("-") || v.contains("/") || v.contains(":"))
        if isDateTime || v.isEmpty { return v }
        if v.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }) { return id }
        return v + "，电话" + id
    }

    static func substituting(_ text: String, pattern: String, copy i: Int, except keep: (String) -> Bool = { _ in false }) -> String {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = NSMutableString(string: text)
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).reversed() {
            let r = m.range(at: 1)
            let v = ns.substring(with: r)
            if keep(v) { continue }
            ns.replaceCharacters(in: r, with: value(v, copy: i))
        }
        return ns as String
    }

    /// Petition XML in GB18030 (declared GB2312 as the bureau writes it).
    static func petition(into folder: String) throws -> String {
        let sample = try Transcoder(from: .gb18030, to: .utf8).convert(Array(try Data(contentsOf: URL(fileURLWithPath: sampleData + "/petition/xf_3201_20200623.xml"))))
        let text = String(decoding: sample, as: UTF8.self)
        let start = text.range(of: "<Petition ")!.lowerBound
        let end = text.range(of: "</Petition>")!.upperBound
        let record = String(text[start..<end])
        let head = String(text[..<start])
        var body = ""
        for i in corpusIdentifiers.indices {
            var r = record.replacingOccurrences(of: "id=\"XF320111202006230001\"", with: "id=\"XF-CORPUS-\(i)\"")
            r = substituting(r, pattern: "<!\\[CDATA\\[(.*?)\\]\\]>", copy: i)
            r = substituting(r, pattern: ">([^<>]+)<", copy: i, except: { $0.allSatisfy(\.isWhitespace) })
            r = substituting(r, pattern: " (?!id=)[A-Za-z]+=\"([^\"]*)\"", copy: i)
            body += r + "\n  "
        }
        let path = folder + "/xf_3201_20200623.xml"
        let utf8 = Array((head + body + "</XFExport>\n").utf8)
        try Data(try Transcoder(from: .utf8, to: .gb18030).convert(utf8)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Patrol JSON Lines: every string of the record, nested ones included.
    static func patrol(into folder: String) throws -> String {
        let line = try String(contentsOfFile: sampleData + "/patrol/dlq_20200623.jsonl", encoding: .utf8).split(separator: "\n")[0]
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        func map(_ x: Any, copy i: Int) -> Any {
            switch x {
            case let s as String: return value(s, copy: i)
            case let a as [Any]: return a.map { map($0, copy: i) }
            case let d as [String: Any]: return d.mapValues { map($0, copy: i) }
            default: return x
            }
        }
        var lines: [String] = []
        for i in corpusIdentifiers.indices {
            var d = map(object, copy: i) as! [String: Any]
            d["ticket_id"] = "DLQ-CORPUS-\(i)"
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: d), as: UTF8.self))
        }
        let path = folder + "/dlq_20200623.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// City management CSV in GB18030, as the centre exports it.
    static func citymgmt(into folder: String) throws -> String {
        let sample = try Transcoder(from: .gb18030, to: .utf8).convert(Array(try Data(contentsOf: URL(fileURLWithPath: sampleData + "/citymgmt/szcg_20200623.csv"))))
        let rows = String(decoding: sample, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        var lines = [rows[0]]
        let cells = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for i in corpusIdentifiers.indices {
            var row = cells.map { value($0, copy: i) }
            row[0] = "SZCG-CORPUS-\(i)"
            lines.append(row.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
        }
        let path = folder + "/szcg_20200623.csv"
        let utf8 = Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
        try Data(try Transcoder(from: .utf8, to: .gb18030).convert(utf8)).write(to: URL(fileURLWithPath: path))
        return path
    }
}

@Suite("Privacy corpus: petition XML, patrol JSON Lines, city management CSV")
struct PrivacyCorpusTests {
    @Test("identifiers in every field of every feed: none in the warehouse, its WAL, logs, dry-run reports, rejects or exports",
          arguments: ["petition", "patrol", "citymgmt"])
    func feed(_ feed: String) throws {
        let (workspace, folder) = try makeWorkspace()
        let file: String
        switch feed {
        case "petition": file = try PrivacyCorpus.petition(into: folder)
        case "patrol": file = try PrivacyCorpus.patrol(into: folder)
        default: file = try PrivacyCorpus.citymgmt(into: folder)
        }
        let results = try importFeed(workspace, feed, [file])
        #expect(results.map(\.state) == [.loaded], "\(results.map(\.message))")
        #expect(results[0].counts.reconciles)
        #expect(results[0].counts.rejected > 0 && results[0].counts.new > 0, "\(results[0].counts)")
        try checkpoint(workspace)   // the dry-run reads the warehouse file alone, read-only
        var shown: [String: [UInt8]] = [:]
        shown["log line"] = Array((RunEventFormat.text(.fileFinished(results[0]), at: Date()) ?? "").utf8)
        shown["json log line"] = Array((RunEventFormat.json(.fileFinished(results[0]), at: Date()) ?? "").utf8)
        let report = try DryRun(mapping: try mapping(feed), paths: workspace.paths).run(files: [file])
        shown["dry-run text"] = Array(DryRunText.render(report).utf8)
        shown["dry-run html"] = Array(DryRunHTML.render(report).utf8)
        shown["dry-run json"] = Array(try JSONEncoder().encode(report))
        let rejects = try RejectList(workspace: workspace).entries(limit: nil)
        #expect(rejects.count == results[0].counts.rejected)
        shown["rejects"] = Array(try JSONEncoder().encode(rejects))
        shown["rejects sheet"] = Array(RejectSheet.table(rejects).rows.flatMap { $0 }.joined(separator: ",").utf8)
        shown.merge(try exportedAndStoredBytes(workspace, folder: folder)) { _, new in new }
        for (place, bytes) in shown.sorted(by: { $0.key < $1.key }) {
            #expect(clearIdentifiers(in: bytes) == [], "\(feed): \(place)")
        }
        // The rejects' raw records hold them: the clear listing (key holders) shows them whole.
        let clear = try RejectList(workspace: workspace).entries(limit: nil, clear: true)
        #expect(!clearIdentifiers(in: Array(try JSONEncoder().encode(clear))).isEmpty)
    }
}
