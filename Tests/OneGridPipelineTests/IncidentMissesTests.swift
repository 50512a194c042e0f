import Foundation
import OneGridPipeline
import Testing

@Suite("Incident misses counted by class")
struct IncidentMissesTests {
    static func record(_ feed: String, _ key: String) -> RecordKey { RecordKey(feed: feed, sourceKey: key) }

    /// EvaluateTests' truth: {H1 H2 X1} at A1, {D1 D2} at A2, {H3} at A3 (X2 voided). The petition
    /// X1 has no category and founds its own incident; H3 joins the patrol incident wrongly.
    static var observed: ObservedResolution {
        var o = ObservedResolution()
        let hour: Int64 = 3600
        o.events[record("hotline12345", "H1")] = .init(gridCode: "G1", incidentID: 10, isVoided: false, category: "HB.01",
                                                       reportedAt: 0, standardAddressID: "A1")
        o.events[record("hotline12345", "H2")] = .init(gridCode: "G1", incidentID: 10, isVoided: false, category: "HB.01",
                                                       reportedAt: 3 * hour, standardAddressID: "A1", incidentRule: "explicit_repeat")
        o.events[record("petition", "X1")] = .init(gridCode: "G1", incidentID: 11, isVoided: false, category: nil,
                                                   reportedAt: 2 * hour, standardAddressID: "A1")
        o.events[record("petition", "X2")] = .init(gridCode: "G1", incidentID: nil, isVoided: true)
        o.events[record("patrol", "D1")] = .init(gridCode: "G2", incidentID: 12, isVoided: false, category: "CG.01",
                                                 reportedAt: 0, standardAddressID: "A2")
        o.events[record("patrol", "D2")] = .init(gridCode: "G2", incidentID: 12, isVoided: false, category: "CG.01",
                                                 reportedAt: hour, standardAddressID: "A2", incidentRule: "near_in_time")
        o.events[record("hotline12345", "H3")] = .init(gridCode: "G2", incidentID: 12, isVoided: false, category: "CG.01",
                                                       reportedAt: 100 * hour, standardAddressID: "A2", incidentRule: "specific_place")
        return o
    }

    @Test("a true pair left apart is classed by categories, feeds, matched place and time apart")
    func missedPairs() throws {
        let m = IncidentMisses(truth: try ResolutionTruth.load(directory: try EvaluateTests.truthFolder()), observed: Self.observed)
        #expect(m.missed == ["unknown · two feeds · one standard address · < 12 h": 2])
    }

    @Test("a wrong pair is classed by the rule that joined the later event, categories, feeds, true place and time apart")
    func wrongPairs() throws {
        let m = IncidentMisses(truth: try ResolutionTruth.load(directory: try EvaluateTests.truthFolder()), observed: Self.observed)
        #expect(m.wrong == ["specific_place · sameClass · two feeds · two true addresses · < 10 days": 2])
        #expect(m.text == """
            true pairs left apart: 2  (category · feeds · place · time apart)
              2\tunknown · two feeds · one standard address · < 12 h
            pairs joined wrongly: 2  (rule · category · feeds · true place · time apart)
              2\tspecific_place · sameClass · two feeds · two true addresses · < 10 days
            """)
    }
}
