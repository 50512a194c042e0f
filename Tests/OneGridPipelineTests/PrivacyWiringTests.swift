import Foundation
@testable import OneGridPipeline
import OneGridExport
import OneGridMapping
import OneGridModel
import OneGridPrivacy
import Testing

/// The identifiers of the corpus, each with the digits that must never appear in clear
/// (ASCII digits, separators removed).
let corpusIdentifiers: [(typed: String, digits: String)] = [
    ("13912345678", "13912345678"),
    ("+8613912345678", "13912345678"),
    ("+86 139 1234 5678", "13912345678"),
    ("139-1234-5678", "13912345678"),
    ("139 1234 5678", "13912345678"),
    ("１３９１２３４５６７８", "13912345678"),
    ("320102195705194788", "320102195705194788"),
    ("320102 19570519 4788", "320102195705194788"),
    ("11010519491231002X", "11010519491231002"),
    ("025-8468 1234", "84681234"),
    ("(025)84681234", "84681234"),
    ("025-84681234", "84681234"),
]

/// Whether `bytes`, read as text with full-width digits made ASCII and separators removed,
/// holds any of the identifiers' clear digits; the ones found.
func clearIdentifiers(in bytes: [UInt8]) -> [String] {
    var text = ""
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
        switch scalar.value {
        case 0xFF10...0xFF19: text.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
        case 0x20, 0x2D, 0x28, 0x29, 0x2B, 0xFF08, 0xFF09, 0x3000: continue
        default: text.unicodeScalars.append(scalar)
        }
    }
    return Set(corpusIdentifiers.map(\.digits)).filter { text.contains($0) }.sorted()
}

@Suite("Privacy wiring: what the warehouse stores and what people are shown")
struct PrivacyWiringTests {
    @Test("the loader's copy masks every text field, and keeps the hash and the sealed clear draft")
    func loaderCopy() {
        let phone = "+86 139 1234 5678", masked = "+86 139 **** 5678"
        var draft = EventDraft(source: "hotline12345", sourceKey: "K1")
        draft.title = "回电" + phone
        draft.content = "请回电13800001234，身份证11010519491231002X"
        draft.result = "已联系(025)84681234"
        draft.channel = phone
        draft.nature = phone
        draft.urgency = phone
        draft.sourceCategory = phone
        draft.sourceStatus = phone
        draft.handlingUnit = "联系人" + phone
        draft.givenGridCode = phone
        draft.place = PlaceDraft(address: "延安路18号 " + phone, district: phone, street: phone, community: phone)
        draft.parties = [PartyDraft(role: phone, workerID: phone)]
        draft.steps = [StepDraft(at: nil, action: phone, unit: phone, result: "拨打13900001111"), StepDraft(at: nil, action: "办结")]
        let finding = Finding(code: "unmapped_value", field: "status", message: "'13912345678' is not a unified status",
                              rawValue: "13912345678")
        let event = ResolvedEvent(draft: draft, place: ResolvedPlace(text: "延安路18号 " + phone, normalizedKey: "延安路18号13912345678"),
                                  people: [], position: SourcePosition(file: "f.csv"), contentHash: "h",
                                  sealedPayload: [1, 2], findings: [finding])
        let stored = event.freeTextRedacted
        let d = stored.draft
        #expect(d.title == "回电" + masked)
        #expect(d.content == "请回电138****1234，身份证110***********002X")
        #expect(d.result == "已联系(025)****1234")
        #expect([d.channel, d.nature, d.urgency, d.sourceCategory, d.sourceStatus, d.givenGridCode,
                 d.place.district, d.place.street, d.place.community] == Array(repeating: masked, count: 9))
        #expect(d.handlingUnit == "联系人" + masked)
        #expect(d.place.address == "延安路18号 " + masked)
        #expect(stored.place.text == "延安路18号 " + masked)
        #expect(stored.place.normalizedKey == "延安路18号139****5678")
        #expect(d.parties[0].role == masked && d.parties[0].workerID == masked)
        #expect(d.steps[0].action == masked && d.steps[0].unit == masked && d.steps[0].result == "拨打139****1111")
        #expect(d.steps[1].action == "办结")
        #expect(stored.findings == [Finding(code: "unmapped_value", field: "status", message: "'139****5678' is not a unified status",
                                            rawValue: "139****5678")])
        #expect(d.sourceKey == "K1")
        #expect(ResolvedEvent.maskCode("320111008003001") == "320111008003001")
        #expect(ResolvedEvent.maskCode("CG.SR.YY") == "CG.SR.YY")
        #expect(ResolvedEvent.maskCode("1391234567813912345678") == "******************5678")
        #expect(ResolvedEvent.maskCode("025-84681234025-84681234") == "***-***********-****1234")
        #expect(stored.contentHash == "h")
        #expect(stored.sealedPayload == [1, 2])
    }

    @Test("a hotline corpus with identifiers in every column: none reaches the warehouse, its WAL, the dry-run reports or the rejects")
    func hotlineCorpus() throws {
        let (workspace, folder) = try makeWorkspace()
        let header = "工单编号,受理时间,所属区,所属街道,所属社区,事发地址,诉求渠道,诉求类型,紧急程度,问题分类,工单状态,来电人,来电号码,证件号码,标题,诉求内容,承办单位,办理结果,满意度,是否重复件,关联工单编号,派单时间,办结时间"
        var lines = [header]
        let columns = header.split(separator: ",").count
        for (i, id) in corpusIdentifiers.enumerated() {
            // Every text column holds the identifier; the typed columns hold it in turn.
            var cells = Array(repeating: "文本" + id.typed + "号", count: columns)
            cells[0] = "NJ12345-20200623-\(100 + i)"
            cells[1] = i % 3 == 0 ? id.typed : "2020-06-23 10:00"   // a date column holding an identifier: a reject
            cells[11] = "王小明"
            cells[12] = id.typed
            cells[13] = id.typed
            cells[18] = id.typed
            cells[19] = id.typed
            cells[20] = ""
            cells[21] = i % 2 == 0 ? id.typed : ""
            cells[22] = ""
            lines.append(cells.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
        }
        let file = folder + "/12345_20200623.csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(clearIdentifiers(in: Array(try Data(contentsOf: URL(fileURLWithPath: file)))) == ["11010519491231002", "13912345678", "320102195705194788", "84681234"])

        let results = try importFeed(workspace, "hotline12345", [file])
        #expect(results.map(\.counts.rejected) == [4])
        #expect(results.map(\.counts.new) == [8])
        try checkpoint(workspace)   // the dry-run reads the warehouse file alone, read-only
        var shown: [String: [UInt8]] = [:]
        for result in results {
            shown["log line"] = Array((RunEventFormat.text(.fileFinished(result), at: Date()) ?? "").utf8)
            shown["json log line"] = Array((RunEventFormat.json(.fileFinished(result), at: Date()) ?? "").utf8)
        }
        let report = try DryRun(mapping: try mapping("hotline12345"), paths: workspace.paths).run(files: [file])
        shown["dry-run text"] = Array(DryRunText.render(report).utf8)
        shown["dry-run html"] = Array(DryRunHTML.render(report).utf8)
        shown["dry-run json"] = Array(try JSONEncoder().encode(report))
        let rejects = try RejectList(workspace: workspace).entries(limit: nil, mappings: ["hotline12345": try mapping("hotline12345")])
        #expect(rejects.count == 4)
        shown["rejects"] = Array(try JSONEncoder().encode(rejects))
        let sheet = RejectSheet.table(rejects)
        shown["rejects sheet"] = Array(sheet.rows.flatMap { $0 }.joined(separator: ",").utf8)
        shown.merge(try exportedAndStoredBytes(workspace, folder: folder)) { _, new in new }
        #expect(shown["warehouse"] != nil)
        for (place, bytes) in shown.sorted(by: { $0.key < $1.key }) {
            #expect(clearIdentifiers(in: bytes) == [], "\(place)")
            // The caller's name is shown as 王** wherever it is shown.
            #expect(!String(decoding: bytes, as: UTF8.self).contains("王小明"), "\(place)")
        }
        #expect(rejects[0].cells?["来电人"] == "王**")
        // Only --pii clear with the key shows the raw records whole.
        let clear = try RejectList(workspace: workspace).entries(limit: nil, clear: true)
        #expect(clearIdentifiers(in: Array(try JSONEncoder().encode(clear))).contains("13912345678"))
    }

    @Test("a mapping that is not YAML is reported by line and reason, never with its text")
    func mappingYAMLError() throws {
        let folder = NSTemporaryDirectory() + "onegrid-privacy-yaml-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/m.yaml"
        try "feed: f\nkey: [13912345678 root:x:0:0\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Mapping.load(path: path)
            Issue.record("the mapping compiled")
        } catch {
            #expect(error.line == 3)
            #expect(error.message.hasPrefix("not valid YAML"))
            #expect(!error.description.contains("13912345678") && !error.description.contains("root:x"), "\(error)")
        }
    }
}

/// The bytes a privacy corpus test searches besides reports and logs: every table exported at
/// the default PII level in the formats whose bytes can be searched (XLSX is deflated), and
/// the warehouse file and its WAL.
func exportedAndStoredBytes(_ workspace: Workspace, folder: String) throws -> [String: [UInt8]] {
    var shown: [String: [UInt8]] = [:]
    let exporter = Exporter(warehouse: workspace.warehouse)
    for table in ExportTable.allCases {
        for format in [ExportFormat.csv, .jsonl, .xlsx] {
            let out = folder + "/\(table.rawValue).\(format.rawValue)"
            _ = try exporter.export(table: table, format: format, to: out)
            // A workbook's parts are deflated: search what a spreadsheet program reads.
            shown["export \(table.rawValue).\(format.rawValue)"] = format == .xlsx
                ? try unzippedParts(of: out) : Array(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
    }
    for suffix in ["", "-wal"] {
        if let data = FileManager.default.contents(atPath: workspace.paths.warehouse + suffix) { shown["warehouse" + suffix] = Array(data) }
    }
    return shown
}

/// Every part of a ZIP file (an XLSX workbook), inflated and concatenated, as Python's
/// zipfile reads them: an independent reader, not our ZipWriter's inverse.
func unzippedParts(of path: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c",
                         "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.buffer.write(b''.join(z.read(n) for n in z.namelist()))",
                         path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, !data.isEmpty else {
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
    }
    return Array(data)
}
