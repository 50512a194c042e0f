import Foundation
import Testing
import OneGridModel
@testable import OneGridSamples

/// The repository root, found from this file.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// One held-out sample with SampleData's counts, shared by the tests below.
let heldOutSample: (dir: String, summary: FeedSampleSummary) = {
    let dir = temporaryDirectory("held-out")
    var options = sampleDataOptions
    options.variant = .heldOut
    options.seed = SampleVariant.heldOut.defaultSeed
    let summary = try! SampleDataset.write(to: dir, options: options)
    return (dir, summary)
}()

/// The text of a held-out feed's files, leaving out the truncated copy: its records are all in
/// the complete file, and its cut may fall inside a character (a failed transfer does).
func heldOutText(_ folder: String) -> String {
    heldOutSample.summary.files.filter { $0.hasPrefix(folder + "/") && !$0.contains("_truncated") }
        .map { try! SampleFiles.text(of: heldOutSample.dir + "/" + $0) }.joined()
}

@Suite struct HeldOutTests {
    @Test("the tuned profile writes SampleData/ byte for byte")
    func tunedIsSampleData() throws {
        let dir = generatedSample.dir
        let files = listFiles(dir)
        #expect(files.count == 15)
        for f in files {
            #expect(rawBytes(dir + "/" + f) == rawBytes(repositoryRoot + "/SampleData/" + f), "\(f) differs from SampleData/")
        }
    }

    @Test("the held-out set has its own seed, and the tuned options are unchanged by default")
    func seeds() {
        #expect(FeedSampleOptions().variant == .tuned && FeedSampleOptions().seed == SampleVariant.tuned.defaultSeed)
        let options = FeedSampleOptions.heldOut()
        #expect(options.variant == .heldOut && options.seed == 20_201_107 && options.seed != SampleVariant.tuned.defaultSeed)
    }

    @Test("held-out files have the tuned layout, counts and a complete truth")
    func layoutAndTruth() throws {
        let s = heldOutSample.summary
        #expect(s.files == generatedSample.summary.files)
        #expect(s.hotlineRecords == 150 && s.petitionRecords == 30 && s.patrolRecords == 75)
        let events = csvRows(try SampleFiles.text(of: heldOutSample.dir + "/truth/events.csv"))
        #expect(events.count == 255)
        let patterns = ["hotline": #"NJ12345-\d{8}-\d{6}"#, "petition": #"XF\d{18}"#, "patrol": #"DLQ-\d{6}-\d{8}-\d{6}"#]
        for (source, pattern) in patterns {
            let text = heldOutText(source)
            let found = Set(text.matches(of: try Regex(pattern)).map { String(text[$0.range]) })
            #expect(found == Set(events.filter { $0[0] == source }.map { $0[1] }), "\(source)")
        }
    }

    @Test("every category is held-out wording, none the tuned one")
    func categories() throws {
        let hotline = heldOutText("hotline"), petition = heldOutText("petition"), patrol = heldOutText("patrol")
        for issue in SampleCatalog.issueTypes {
            for separator in [">", "/", "-"] { #expect(!hotline.contains("," + issue.hotlineCategory(separator: separator) + ","), "\(issue.code)") }
            #expect(!petition.contains("code=\"\(issue.petitionCode)\"") && !petition.contains(issue.petitionLabel))
            #expect(!patrol.contains("\"category\":\"\(issue.patrolLabel)\""))
        }
        let heldPaths = HeldOutVocabulary.byCode.values.flatMap(\.hotline)
        #expect(heldPaths.contains { $0.count == 4 } && heldPaths.contains { $0.count == 2 })
        #expect(hotline.contains("劳动保障>劳动关系>拖欠工资") || hotline.contains("劳动保障/劳动关系/拖欠工资") || hotline.contains("劳动保障-劳动关系-拖欠工资"))
        let patrolCategories = Set(patrol.matches(of: try Regex(#""category":"([^"]+)""#)).map { String($0.output[1].substring!) })
        #expect(patrolCategories.isSubset(of: Set(HeldOutVocabulary.byCode.values.flatMap(\.patrol))))
        #expect(patrolCategories.contains { !$0.contains(">") })
        let codes = Set(petition.matches(of: try Regex(#"<Category code="(\d+)">"#)).map { String($0.output[1].substring!) })
        #expect(codes.isSubset(of: Set(HeldOutVocabulary.byCode.values.flatMap { $0.petition.map(\.code) })))
    }

    @Test("held-out addresses: no division, Chinese-numeral buildings, full-width digits, 号楼/幢/栋, road and number alone")
    func addresses() throws {
        let hotline = heldOutText("hotline")
        let addresses = hotline.split(separator: "来电人反映：").dropFirst().map { String($0.prefix { $0 != "，" }) }
        #expect(addresses.count >= 100)
        let districts = SampleRegistry.realDivisions.filter { $0.level == .district }.map(\.name)
        let withoutDivision = addresses.filter { a in !districts.contains { a.contains($0) } && !a.contains("街道") && !a.contains("社区") }
        #expect(Double(withoutDivision.count) / Double(addresses.count) > 0.5)
        #expect(addresses.contains { has($0, "[一二三四五六七八九十]+栋$") })
        #expect(addresses.contains { has($0, "[０-９]") })
        #expect(addresses.contains { $0.contains("号楼") } && addresses.contains { $0.contains("幢") } && addresses.contains { $0.contains("栋") })
        #expect(addresses.contains { has($0, #"^[^区镇街]+路\d+号$"#) })
    }

    @Test("held-out phones: +86, hyphens and spaces; some names spaced")
    func phonesAndNames() throws {
        let all = heldOutText("hotline") + heldOutText("petition")
        #expect(all.contains("+86 1") && all.contains("+86-1"))
        #expect(has(all, #"1\d\d-\d{4}-\d{4}"#) && has(all, #"1\d\d \d{4} \d{4}"#))
        #expect(has(heldOutText("petition"), #"<Name>[^<\s]+ [^<\s]+</Name>"#))
    }

    @Test("the held-out set is reproducible and differs from the tuned one")
    func deterministic() throws {
        let again = temporaryDirectory("held-out-again")
        var options = sampleDataOptions
        options.variant = .heldOut
        options.seed = SampleVariant.heldOut.defaultSeed
        try SampleDataset.write(to: again, options: options)
        for f in heldOutSample.summary.files {
            #expect(rawBytes(again + "/" + f) == rawBytes(heldOutSample.dir + "/" + f), "\(f)")
        }
    }
}
