import Testing
@testable import OneGridSamples

/// The held-out set names each matter in its titles in the feed's own words, never the
/// taxonomy's names (the tuned vocabulary must not reach the held-out set that way).
@Suite struct HeldOutTitleTests {
    @Test func heldOutTitlesUseTheFeedsOwnWordingNotTheTaxonomysNames() throws {
        for (folder, feed) in [("hotline", Feed.hotline), ("petition", Feed.petition)] {
            let text = heldOutText(folder)
            let own = HeldOutVocabulary.byCode.map { code, wording in
                (name: SampleCatalog.issueType(code: code)!.name,
                 word: feed == .petition ? String(wording.petition[0].label.split(separator: "/").last!) : wording.hotline[0].last!)
            }
            // Where the feed's word differs from the taxonomy's name, the name never ends a title.
            for (name, word) in own where word != name && !word.hasSuffix(name) {
                #expect(!text.contains(name + "问题"), "\(folder): \(name)")
            }
            #expect(own.contains { text.contains($0.word + "问题") }, "\(folder)")
        }
        #expect(heldOutText("hotline").contains("餐饮业油烟问题"))
        #expect(heldOutText("petition").contains("餐饮油烟扰民问题"))
    }

    @Test func tunedTitlesKeepTheTaxonomysNames() throws {
        let text = try SampleFiles.text(of: repositoryRoot + "/SampleData/hotline/12345_20200623.csv")
        #expect(text.contains("餐饮油烟问题"))
    }
}
