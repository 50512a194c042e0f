import Foundation
import OneGridPipeline
import Testing

@Suite("Evaluating several sets in one report")
struct EvaluateSetsTests {
    @Test("each set is reported under its label, in the order given")
    func labelledText() throws {
        let truth = try ResolutionTruth.load(directory: try EvaluateTests.truthFolder())
        let r = ResolutionEvaluation(truth: truth, observed: EvaluateTests.observed)
        let sets = [LabelledEvaluation(label: "tuned", evaluation: r), LabelledEvaluation(label: "held-out 7", evaluation: r)]
        #expect(LabelledEvaluation.text(sets) == "== tuned ==\n" + r.text + "\n== held-out 7 ==\n" + r.text)
    }

    @Test("the JSON of several sets is a list of label and evaluation")
    func labelledJSON() throws {
        let truth = try ResolutionTruth.load(directory: try EvaluateTests.truthFolder())
        let r = ResolutionEvaluation(truth: truth, observed: EvaluateTests.observed)
        let data = try JSONEncoder().encode([LabelledEvaluation(label: "tuned", evaluation: r)])
        let back = try JSONDecoder().decode([LabelledEvaluation].self, from: data)
        #expect(back == [LabelledEvaluation(label: "tuned", evaluation: r)])
        let object = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        #expect(object?.first?["label"] as? String == "tuned")
        #expect((object?.first?["evaluation"] as? [String: Any])?["eventsScored"] as? Int == 6)
    }
}
