import Testing
@testable import OneGridSamples

/// The generator's truth calls two plans one matter only when nothing could tell them apart:
/// one standard address, one issue, reports within days of each other.
@Suite struct OpenMattersTests {
    static let day: Int64 = 86_400
    static let fumes = SampleCatalog.issueType(code: "HB.01")!
    static let stalls = SampleCatalog.issueType(code: "CG.01")!

    func plan(_ id: String, address: Int = 7, issue: IssueType = fumes, days: [Double]) -> IncidentPlan {
        IncidentPlan(number: 0, id: id, addressIndex: address, issue: issue,
                     reports: days.enumerated().map { i, d in
                         .init(feed: .hotline, time: Int64(d * Double(Self.day)), personIndex: i, ordinal: i)
                     })
    }

    /// Matters after `a` was drawn and all its reports written.
    func written(_ a: IncidentPlan) -> OpenMatters {
        var m = OpenMatters()
        #expect(m.sameMatter(as: a) == nil)
        for r in a.reports { m.reported(a, at: r.time) }
        return m
    }

    @Test func anotherPlanAtTheSameAddressWithTheSameIssueWithinDaysIsTheSameMatter() {
        var m = written(plan("I1", days: [10, 11]))
        #expect(m.sameMatter(as: plan("I2", days: [11.2])) == "I1")
        #expect(m.sameMatter(as: plan("I3", days: [13.9])) == "I1")
        #expect(m.sameMatter(as: plan("I4", days: [7.5, 9])) == "I1")
    }

    @Test func anotherIssueOrAddressOrAQuietGapIsAnotherMatter() {
        var m = written(plan("I1", days: [10, 11]))
        #expect(m.sameMatter(as: plan("I2", issue: Self.stalls, days: [10.5])) == nil)
        #expect(m.sameMatter(as: plan("I3", address: 8, days: [10.5])) == nil)
        #expect(m.sameMatter(as: plan("I4", days: [14.5])) == nil)
        #expect(m.sameMatter(as: plan("I5", days: [5, 6.5])) == nil)
    }

    @Test func onlyReportsWrittenToAFeedKeepAMatterOpen() {
        var m = OpenMatters()
        #expect(m.sameMatter(as: plan("I1", days: [10])) == nil)
        #expect(m.sameMatter(as: plan("I2", days: [10.1])) == nil)
    }

    @Test func aMergedPlanExtendsTheMatter() {
        var m = written(plan("I1", days: [10]))
        let merged = plan("I1", days: [12, 15])
        for r in merged.reports { m.reported(merged, at: r.time) }
        #expect(m.sameMatter(as: plan("I3", days: [17])) == "I1")
    }
}
