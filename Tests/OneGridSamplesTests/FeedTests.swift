import Foundation
import Testing
import OneGridModel
@testable import OneGridSamples

/// One generated sample, shared by the quirk tests (generation is deterministic).
let generatedSample: (dir: String, summary: FeedSampleSummary) = {
    let dir = temporaryDirectory("feeds")
    let summary = try! SampleDataset.write(to: dir, options: sampleDataOptions)
    return (dir, summary)
}()

func sampleText(_ relative: String) -> String { try! SampleFiles.text(of: generatedSample.dir + "/" + relative) }
func sampleFiles(_ folder: String) -> [String] { generatedSample.summary.files.filter { $0.hasPrefix(folder + "/") } }

@Suite struct FeedTests {
    @Test func layoutAndCounts() {
        let s = generatedSample.summary
        #expect(s.files == [
            "hotline/12345_20200623.csv", "hotline/12345_20200624.csv", "hotline/12345_20200625.csv.gz",
            "petition/xf_3201_20200623.xml", "petition/xf_3201_20200623_truncated.xml", "petition/xf_3201_20200624.xml",
            "patrol/dlq_20200623.jsonl", "patrol/dlq_20200624.jsonl",
            "truth/events.csv", "truth/parties.csv",
        ])
        #expect(s.hotlineRecords == 150 && s.petitionRecords == 30 && s.patrolRecords == 75)
        #expect(s.hotlineRows > s.hotlineRecords)
        #expect(s.petitionElements > s.petitionRecords)
        #expect(s.patrolLines > s.patrolRecords)
        print("sample summary:", s)
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let a = temporaryDirectory("det-a"), b = temporaryDirectory("det-b"), c = temporaryDirectory("det-c")
        try SampleDataset.write(to: a, options: sampleDataOptions)
        try SampleDataset.write(to: b, options: sampleDataOptions)
        var other = sampleDataOptions
        other.seed = 99
        try SampleDataset.write(to: c, options: other)
        let files = listFiles(a)
        #expect(files == listFiles(b))
        #expect(files.count == 15)
        for f in files { #expect(rawBytes(a + "/" + f) == rawBytes(b + "/" + f), "\(f) differs") }
        for f in files where !f.hasPrefix("reference/nanjing") {
            #expect(rawBytes(a + "/" + f) != rawBytes(c + "/" + f), "\(f) same for another seed")
        }
    }

    @Test func hotlineEncodingsAndShapes() throws {
        let dir = generatedSample.dir
        let gb = rawBytes(dir + "/hotline/12345_20200623.csv")
        #expect(!SampleFiles.isValidUTF8(gb))
        #expect(!gb.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(gb.contains(0x0D))
        let bom = rawBytes(dir + "/hotline/12345_20200624.csv")
        #expect(bom.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(!bom.contains(0x0D))
        let gz = rawBytes(dir + "/hotline/12345_20200625.csv.gz")
        #expect(gz.starts(with: [0x1F, 0x8B]))
        let plain = try SampleFiles.bytes(of: dir + "/hotline/12345_20200625.csv.gz")
        #expect(SampleFiles.isValidUTF8(plain) && !plain.starts(with: [0xEF, 0xBB, 0xBF]))

        let day0 = sampleText("hotline/12345_20200623.csv")
        #expect(day0.hasPrefix(SampleCatalog.hotlineColumns.joined(separator: ",") + "\r\n"))
        #expect(has(day0, #"\r\n合计：\d+条(,+)?\r\n$"#))
        let day1 = sampleText("hotline/12345_20200624.csv")
        let header1 = String(day1.split(separator: "\n")[0])
        #expect(header1.hasPrefix("工单号,来电时间,"))
        #expect(!header1.contains("紧急程度"))
        #expect(header1.contains("经度（GCJ-02）") && header1.contains(" 纬度 ") && header1.contains("坐席工号"))
        let day2 = sampleText("hotline/12345_20200625.csv.gz")
        let header2 = String(day2.split(separator: "\r\n")[0])
        #expect(header2.hasPrefix("工单编号,") && header2 != SampleCatalog.hotlineColumns.joined(separator: ","))
        #expect(Set(header2.split(separator: ",").map(String.init)) == Set(SampleCatalog.hotlineColumns))

        let all = day0 + day1 + day2
        // Quoted multi-line fields with doubled quotes.
        #expect(all.contains("\"来电人反映："))
        #expect(all.contains("\"\"再不处理就向上级反映\"\""))
        // Five date forms.
        #expect(has(all, #",2020-06-2\d \d\d:\d\d:\d\d,"#))
        #expect(has(all, #",2020/6/2\d \d\d:\d\d,"#))
        #expect(has(all, #",2020年6月2\d日 \d\d时\d\d分,"#))
        #expect(has(all, #",20200\d{9},"#))
        #expect(has(all, #",4400\d\.\d{4},"#))
        // Category separators.
        #expect(all.contains("城乡建设>") || all.contains("公共安全>"))
        #expect(has(all, #",[^,>]+/[^,>]+/[^,]+,"#))
        #expect(has(all, #",(城乡建设|公共安全|环境保护|劳动社保|交通运输|社会管理)-[^,]+-"#))
        // Excel damage, full width, voided, repeats, division names.
        #expect(has(all, #",\d\.\d{1,5}E\+17,"#))
        #expect(has(all, #",1\.\d{1,2}E\+10,"#))
        #expect(has(all, #",'(\d{17}[\dX]|\d{11}),"#))
        #expect(has(all, #"[０-９]"#))
        #expect(all.contains("[作废]") && all.contains(",已撤销,"))
        #expect(has(all, #",是,NJ12345-\d{8}-\d{6}"#))
        #expect(all.contains("办事处,"))
        // Blank lines.
        #expect(all.contains("\n\n") || all.contains("\r\n\r\n"))
    }

    @Test func ordersProgressAcrossDays() throws {
        // An order seen on two days: the later row carries a later status.
        let dir = generatedSample.dir
        let statuses = SampleCatalog.hotlineStatuses
        var latest: [String: (day: Int, status: Int)] = [:]
        var progressed = 0
        for (day, f) in sampleFiles("hotline").enumerated() {
            let text = try SampleFiles.text(of: dir + "/" + f)
            for m in text.matches(of: try Regex(#"(?m)^(NJ12345-\d{8}-\d{6}),.*?,(待受理|已派单|办理中|已办结|已回访|退单|已撤销),"#)) {
                let key = String(m.output[1].substring!), status = statuses.firstIndex(of: String(m.output[2].substring!))!
                if let before = latest[key], before.day < day {
                    #expect(status >= before.status)
                    if status > before.status { progressed += 1 }
                }
                latest[key] = (day, status)
            }
        }
        #expect(progressed > 0)
    }

    @Test func petitionQuirks() throws {
        let dir = generatedSample.dir
        let gb = rawBytes(dir + "/petition/xf_3201_20200623.xml")
        #expect(gb.starts(with: Array("<?xml version=\"1.0\" encoding=\"GB2312\"?>\n<XFExport xmlns=\"urn:njxf:exchange:1.0\" exportedAt=\"2020-06-23T18:00:00+08:00\" unit=\"".utf8)))
        #expect(!SampleFiles.isValidUTF8(gb))
        // GB2312 proper: every non-ASCII byte pair is in the EUC-CN range.
        var i = 0
        while i < gb.count {
            if gb[i] < 0x80 { i += 1; continue }
            #expect((0xA1...0xF7).contains(gb[i]) && (0xA1...0xFE).contains(gb[i + 1]), "byte \(i)")
            i += 2
        }
        let utf = sampleText("petition/xf_3201_20200624.xml")
        #expect(utf.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        let all = sampleText("petition/xf_3201_20200623.xml") + utf
        #expect(all.hasSuffix("</XFExport>\n"))
        #expect(all.contains("<![CDATA[") && has(all, #"<!\[CDATA\[[^\]]*[<&]"#))
        #expect(has(all, #"<Collective headcount="\d+">true</Collective>"#))
        #expect(all.contains("lead=\"true\"") && all.contains("lead=\"false\""))
        #expect(all.contains("<RepeatOf>XF"))
        #expect(has(all, #"at="\d{4}-\d\d-\d\d \d\d:\d\d""#))
        #expect(has(all, #"at="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00""#))
        #expect(has(all, #"at="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d""#))
        #expect(all.contains("0001-01-01T00:00:00"))
        #expect(all.contains("<Attachments>\n      <File name="))
        #expect(all.contains("<IdNo/>") || all.contains("<IdNo></IdNo>"))
        // A petition exported on both days, with more steps the second time.
        let ids0 = Set(sampleText("petition/xf_3201_20200623.xml").matches(of: try Regex(#"<Petition id="(XF\d{18})">"#)).map { String($0.output[1].substring!) })
        let ids1 = Set(utf.matches(of: try Regex(#"<Petition id="(XF\d{18})">"#)).map { String($0.output[1].substring!) })
        #expect(!ids0.intersection(ids1).isEmpty)
        // Steps out of order: some Handling has a later step before an earlier one (dashed form compares as text).
        #expect(has(all, #"action="(受理|交办|调查核实|办结|不予受理)"[^\n]*\n\s*<Step at="[^"]+" action="(登记|受理|交办|调查核实)""#))
        // Every document but the truncated one is well-formed.
        for f in sampleFiles("petition") {
            let data = try SampleFiles.bytes(of: dir + "/" + f)
            let wellFormed = isWellFormed(String(decoding: data, as: UTF8.self))
            #expect(wellFormed == !f.contains("truncated"), "\(f)")
        }
        let truncated = sampleText("petition/xf_3201_20200623_truncated.xml")
        #expect(!truncated.contains("</XFExport>") && !truncated.hasSuffix(">\n"))
    }

    @Test func patrolQuirks() throws {
        let text = sampleFiles("patrol").map(sampleText).joined()
        var invalid = 0, blank = 0, epoch = 0, strings = 0, extra = 0, missingGrid = 0
        var systems: [String: Int] = [:]
        var versions: [String: [String]] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.isEmpty { blank += 1; continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { invalid += 1; continue }
            let location = object["location"] as! [String: Any]
            systems[location["coord_sys"] as? String ?? "(absent)", default: 0] += 1
            if object["reported_at"] is NSNumber { epoch += 1 }
            if location["lng"] is String { strings += 1 }
            if object["app_version"] != nil { extra += 1 }
            if object["grid_code"] == nil { missingGrid += 1 }
            let reporter = object["reporter"] as! [String: Any]
            #expect(reporter["worker_id"] is String && reporter["name"] is String && reporter["role"] is String)
            versions[object["ticket_id"] as! String, default: []].append(String(line))
        }
        print("patrol lines: invalid \(invalid), blank \(blank), epoch \(epoch), strings \(strings), extra \(extra), no grid \(missingGrid), \(systems)")
        #expect(invalid > 0 && blank > 0 && epoch > 0 && strings > 0 && extra > 0 && missingGrid > 0)
        #expect(Set(systems.keys) == ["gcj02", "bd09", "wgs84", "(absent)"])
        #expect(versions.values.contains { $0.count > 1 })
    }

    @Test func staleGridCodesPointToNeighbours() throws {
        let registry = SampleRegistry.make(seed: sampleDataOptions.seed)
        let truth = csvRows(sampleText("truth/events.csv")).filter { $0[0] == "patrol" }
        let truthGrid = Dictionary(truth.map { ($0[1], $0[3]) }, uniquingKeysWith: { a, _ in a })
        var stale = 0
        for line in sampleFiles("patrol").map(sampleText).joined().split(separator: "\n") {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let grid = o["grid_code"] as? String else { continue }
            let real = truthGrid[o["ticket_id"] as! String]!
            if grid != real {
                stale += 1
                #expect(registry.neighbours[real]!.contains(grid))
            }
        }
        #expect(stale > 0)
    }

    @Test func truthCoversEveryRecord() throws {
        let events = csvRows(sampleText("truth/events.csv"))
        let parties = csvRows(sampleText("truth/parties.csv"))
        let registry = SampleRegistry.make(seed: sampleDataOptions.seed)
        let addresses = Dictionary(uniqueKeysWithValues: registry.addresses.map { ($0.id, $0) })
        var keys: [String: Set<String>] = [:]
        for e in events {
            #expect(e.count == 5)
            #expect(addresses[e[2]]?.gridCode == e[3])
            #expect(keys[e[0], default: []].insert(e[1]).inserted, "duplicate \(e[1])")
        }
        #expect(keys["hotline"]!.count == 150 && keys["petition"]!.count == 30 && keys["patrol"]!.count == 75)
        let patterns = ["hotline": #"NJ12345-\d{8}-\d{6}"#, "petition": #"XF\d{18}"#, "patrol": #"DLQ-\d{6}-\d{8}-\d{6}"#]
        for (source, pattern) in patterns {
            let text = sampleFiles(source).map(sampleText).joined()
            let found = Set(text.matches(of: try Regex(pattern)).map { String(text[$0.range]) })
            #expect(found == keys[source]!, "\(source): \(found.symmetricDifference(keys[source]!).sorted().prefix(5))")
        }
        // Every record has its parties, ordinals from 1.
        let byRecord = Dictionary(grouping: parties) { $0[0] + "|" + $0[1] }
        #expect(byRecord.count == events.count)
        let workerPeople = Set(registry.workerPeople.values.map(\.personID))
        for (_, list) in byRecord {
            #expect(list.map { Int($0[3])! } == Array(1...list.count))
            for p in list {
                #expect(p[2] == SampleCatalog.truthRoles[p[0]])
                #expect(p[0] == "patrol" ? workerPeople.contains(p[4]) : p[4].hasPrefix("P0"))
            }
        }
        #expect(byRecord.values.contains { $0.count > 1 })
        // Incidents: some reported several times across feeds, some once.
        let perIncident = Dictionary(grouping: events, by: { $0[4] })
        #expect(perIncident.values.contains { Set($0.map { $0[0] }).count > 1 })
        #expect(perIncident.values.contains { $0.count == 1 })
        // One person calling about several matters.
        let callers = Dictionary(grouping: parties.filter { $0[0] == "hotline" }, by: { $0[4] })
        let incidentOf = Dictionary(uniqueKeysWithValues: events.map { ($0[0] + "|" + $0[1], $0[4]) })
        #expect(callers.values.contains { Set($0.map { incidentOf[$0[0] + "|" + $0[1]]! }).count > 1 })
    }

    @Test func quirksCanBeTurnedOff() throws {
        let dir = temporaryDirectory("clean")
        var options = sampleDataOptions
        options.quirks = .none
        let summary = try SampleDataset.write(to: dir, options: options)
        #expect(!summary.files.contains { $0.hasSuffix(".gz") || $0.contains("truncated") })
        for f in summary.files {
            let data = rawBytes(dir + "/" + f)
            #expect(SampleFiles.isValidUTF8(data) && !data.starts(with: [0xEF, 0xBB, 0xBF]) && !data.contains(0x0D), "\(f)")
        }
        let hotline = summary.files.filter { $0.hasPrefix("hotline/") }.map { try! SampleFiles.text(of: dir + "/" + $0) }.joined()
        #expect(!hotline.contains("合计") && !hotline.contains("E+") && !hotline.contains("[作废]") && !hotline.contains("\n\n"))
        for file in summary.files where file.hasPrefix("patrol/") {
            for line in try SampleFiles.text(of: dir + "/" + file).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
            }
        }
    }

    @Test func hundredThousandHotlineRows() throws {
        let dir = temporaryDirectory("bench")
        let registry = SampleRegistry.make(seed: 5)
        let options = FeedSampleOptions(seed: 5, days: 30, hotlineRecords: 100_000, petitionRecords: 0, patrolRecords: 0)
        let clock = ContinuousClock()
        var summary = FeedSampleSummary()
        let elapsed = try clock.measure { summary = try FeedSampleGenerator(registry: registry, options: options).write(to: dir) }
        print("100k hotline records (\(summary.hotlineRows) rows, \(summary.files.count) files) in \(elapsed)")
        #expect(summary.hotlineRecords == 100_000)
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Regenerates SampleData/ when ONEGRID_WRITE_SAMPLEDATA names its path.
    @Test func writeSampleData() throws {
        guard let target = ProcessInfo.processInfo.environment["ONEGRID_WRITE_SAMPLEDATA"] else { return }
        try SampleDataset.write(to: target, options: sampleDataOptions)
    }
}

/// A small well-formedness check for the generated documents: tags balance, CDATA, comments
/// and declarations close, one root. (Foundation's parser on Linux accepts some cut files.)
func isWellFormed(_ text: String) -> Bool {
    var stack: [Substring] = []
    var roots = 0
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "<") {
        rest = rest[open...]
        if rest.hasPrefix("<![CDATA[") {
            guard let end = rest.firstRange(of: "]]>") else { return false }
            rest = rest[end.upperBound...]
            continue
        }
        if rest.hasPrefix("<?") || rest.hasPrefix("<!--") {
            guard let end = rest.firstRange(of: rest.hasPrefix("<?") ? "?>" : "-->") else { return false }
            rest = rest[end.upperBound...]
            continue
        }
        guard let close = rest.firstIndex(of: ">") else { return false }
        let tag = rest[rest.index(after: rest.startIndex)..<close]
        rest = rest[rest.index(after: close)...]
        if tag.hasPrefix("/") {
            guard let top = stack.popLast(), top == tag.dropFirst() else { return false }
        } else {
            let name = tag.prefix { $0 != " " && $0 != "/" && $0 != "\n" }
            if stack.isEmpty { roots += 1 }
            if !tag.hasSuffix("/") { stack.append(name) }
        }
    }
    return stack.isEmpty && roots == 1 && rest.allSatisfy(\.isWhitespace)
}

/// Whether `text` matches the regular expression `pattern`.
func has(_ text: String, _ pattern: String) -> Bool {
    text.contains(try! Regex(pattern))
}
