@testable import OneGridPipeline
import OneGridModel
import OneGridPrivacy
import Testing

@Suite("Free text is redacted before the warehouse sees it")
struct FreeTextRedactionTests {
    @Test("phones and ID numbers typed into free text are masked")
    func redact() {
        #expect(FreeText.redact("请回电13800001234，身份证11010519491231002X") == "请回电138****1234，身份证110***********002X")
        #expect(FreeText.redact("门牌号 18 号") == "门牌号 18 号")
    }

    @Test("the loader's copy masks content, result and step results, and keeps the hash and the sealed clear draft")
    func loaderCopy() {
        var draft = EventDraft(source: "hotline12345", sourceKey: "K1")
        draft.content = "请回电13800001234"
        draft.result = "已联系11010519491231002X"
        draft.title = "13800001234"
        draft.steps = [StepDraft(at: nil, action: "回访", result: "拨打13900001111"), StepDraft(at: nil, action: "办结")]
        let event = ResolvedEvent(draft: draft, place: ResolvedPlace(),
                                  people: [], position: SourcePosition(file: "f.csv"), contentHash: "h",
                                  sealedPayload: [1, 2], findings: [])
        let stored = event.freeTextRedacted
        #expect(stored.draft.content == "请回电138****1234")
        #expect(stored.draft.result == "已联系110***********002X")
        #expect(stored.draft.steps.map(\.result) == ["拨打139****1111", nil])
        #expect(stored.draft.title == "13800001234")
        #expect(stored.contentHash == "h")
        #expect(stored.sealedPayload == [1, 2])
    }
}
