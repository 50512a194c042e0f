import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import OneGridPipeline
import Testing

/// `DraftJSON` must write exactly the bytes `JSONEncoder` with sorted keys writes, or content
/// hashes of events loaded before it would all change.
@Suite("The canonical draft JSON")
struct DraftJSONTests {
    static func encoderBytes(_ draft: EventDraft) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(draft))
    }

    /// Every event of the sample files of all three feeds.
    static func sampleDrafts() throws -> [EventDraft] {
        var drafts: [EventDraft] = []
        for (feed, folder) in [("hotline12345", "hotline"), ("petition", "petition"), ("patrol", "patrol")] {
            let mapping = try mapping(feed)
            for file in files(folder) where !file.contains("truncated") {
                let reader = try FeedReaders.open(path: file, format: mapping.format, options: mapping.readOptions)
                let mapper = try RecordMapper(mapping: mapping, header: reader.header, file: file)
                while let item = try reader.next() {
                    if case .record(let record) = item, case .event(let draft, _) = mapper.map(record) { drafts.append(draft) }
                }
            }
        }
        return drafts
    }

    @Test("matches JSONEncoder byte for byte on every sample event of the three feeds")
    func matchesEncoderOnSamples() throws {
        let drafts = try Self.sampleDrafts()
        #expect(drafts.count == 309)
        let mismatches = try drafts.filter { try DraftJSON.encode($0) != Self.encoderBytes($0) }
        #expect(mismatches.map(\.sourceKey) == [])
    }

    @Test("matches JSONEncoder on escapes, empty groups, absent fields and whole-number coordinates")
    func matchesEncoderOnEdgeCases() throws {
        var draft = EventDraft(source: "hotline12345", sourceKey: "a/b\"c\\d")
        draft.title = "tab\there\nline\r\u{08}\u{0C}\u{01}\u{1F} 中文 😀 </tag>"
        draft.headcount = -3
        draft.selfResolved = false
        draft.satisfaction = .verySatisfied
        draft.reportedAt = Timestamp(seconds: -1)
        draft.place = PlaceDraft(point: GeoPoint(lng: 118, lat: 1e-05, datum: .bd09))
        draft.parties = [PartyDraft(role: "caller"), PartyDraft(role: "x", name: "张三", isLead: true, workerID: "W1")]
        draft.steps = [StepDraft(at: nil, action: "受理"), StepDraft(at: Timestamp(seconds: 1_592_870_400), action: "", unit: "u", result: "r")]
        #expect(DraftJSON.encode(draft) == (try Self.encoderBytes(draft)))
        let bare = EventDraft(source: "s", sourceKey: "")
        #expect(String(decoding: DraftJSON.encode(bare), as: UTF8.self)
            == #"{"isRepeat":false,"isVoided":false,"parties":[],"place":{},"source":"s","sourceKey":"","steps":[]}"#)
        #expect(DraftJSON.encode(bare) == (try Self.encoderBytes(bare)))
    }

    @Test("decodes back to the same draft")
    func roundTrips() throws {
        for draft in try Self.sampleDrafts().prefix(200) {
            #expect(try JSONDecoder().decode(EventDraft.self, from: Data(DraftJSON.encode(draft))) == draft)
        }
    }
}
