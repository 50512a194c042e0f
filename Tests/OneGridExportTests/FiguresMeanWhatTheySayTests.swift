import Foundation
import GRDB
import Testing
import OneGridExport
import OneGridModel
import OneGridWarehouse

/// Minimum samples for grades, history for rises, per-feed deadlines as data.
@Suite struct FiguresMeanWhatTheySayTests {
    let exporter = Exporter(warehouse: try! Sample.warehouse())

    func grades(_ thresholds: AssessmentThresholds) throws -> [String] {
        plain(try exporter.rows(table: .gridMonthly, options: options(thresholds: thresholds)).rows).map { $0.last! }
    }

    @Test func byDefaultTheSampleIsTooSmallToGrade() throws {
        // Rows: no grid (never graded), 杉湖路 June (2 due, 1 rated), 桥西一 June (3, 1), 桥西二 May (2, 1).
        #expect(try grades(AssessmentThresholds()) == ["", "样本不足", "样本不足", "样本不足"])
        #expect(AssessmentThresholds().minimumEvents == 5 && AssessmentThresholds().minimumRated == 3)
    }

    @Test func minimumsAreConfigurable() throws {
        var t = AssessmentThresholds()
        t.minimumEvents = 2
        t.minimumRated = 1
        #expect(try grades(t) == ["", "黄", "黄", "红"])
        t.minimumEvents = 3
        #expect(try grades(t) == ["", "样本不足", "黄", "样本不足"])
        t.minimumEvents = 1
        t.minimumRated = 2
        #expect(try grades(t) == ["", "样本不足", "样本不足", "样本不足"])
    }

    @Test func oneClosedUnratedEventIsNotExcellent() {
        let t = AssessmentThresholds()
        #expect(t.assess(due: 1, rated: 0, closureRate: 1, satisfiedShare: nil, repeatShare: 0) == "样本不足")
        #expect(t.assess(due: 5, rated: 2, closureRate: 1, satisfiedShare: 1, repeatShare: 0) == "样本不足")
        #expect(t.assess(due: 5, rated: 3, closureRate: 1, satisfiedShare: 1, repeatShare: 0) == "红")
        #expect(AssessmentThresholds.anySample.assess(due: 1, rated: 0, closureRate: 1, satisfiedShare: nil, repeatShare: 0) == "红")
    }

    @Test func theManifestRecordsTheMinimums() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var o = options()
        o.thresholds = AssessmentThresholds()
        let summary = try exporter.export(table: .gridMonthly, format: .csv, to: folder + "/m.csv", options: o)
        #expect(summary.manifest.options["minimumEvents"] == "5")
        #expect(summary.manifest.options["minimumRated"] == "3")
    }

    // MARK: rising grids need history

    /// The sample plus one event in January 2020 (grid …002): history from January.
    static func withJanuary() throws -> Exporter {
        let w = try Sample.warehouse()
        try w.write { db in
            try db.execute(sql: """
                INSERT INTO event (id, source, source_key, version_rank, content_hash, status, reported_at, grid_code,
                  community_code, street_code, district_code, source_file_id, line)
                VALUES (9, 'patrol', 'DLQ-000', 'r', 'h9', 'closed', ?, '320116001003002', '320116001003', '320116001', '320116', 3, 1)
                """, arguments: [Sample.t("2020-01-15 08:00:00")])
        }
        return Exporter(warehouse: w)
    }

    func rising(_ exporter: Exporter, history: Int? = nil) throws -> [[String]] {
        var o = options(riseMinCount: 2)
        if let history { o.alerts.riseMinHistoryMonths = history } else { o.alerts.riseMinHistoryMonths = AlertOptions().riseMinHistoryMonths }
        o.alerts.repeatMinReports = 99
        o.alerts.overdueDays = ["hotline12345": 999, "patrol": 999, "petition": 999]
        return plain(try exporter.rows(table: .alerts, options: o).rows).map { [$0[2], $0[7]] }
    }

    @Test func withoutThreeMonthsOfHistoryNothingIsRising() throws {
        // The sample starts in May 2020: neither May nor June has three months behind it.
        #expect(AlertOptions().riseMinHistoryMonths == 3)
        #expect(try rising(exporter) == [])
        // Without the rule, May's two events against an empty baseline were a "rise".
        #expect(try rising(exporter, history: 0).count == 3)
    }

    @Test func withHistoryTheSameMonthsAreJudged() throws {
        // History from January: May (4 months behind) and June (5) are judged; January itself is not.
        #expect(try rising(try Self.withJanuary()) == [
            ["320113005001001", "2020-06-01 00:00:00"], ["320116001003001", "2020-06-01 00:00:00"],
            ["320116001003002", "2020-05-01 00:00:00"],
        ])
        // With five months of history required, May (four behind) is no longer judged.
        #expect(try rising(try Self.withJanuary(), history: 5).map(\.[1]) == ["2020-06-01 00:00:00", "2020-06-01 00:00:00"])
    }

    // MARK: deadlines per feed

    @Test func deadlinesAreATableWithTodaysDefaults() throws {
        let defaults = AlertOptions()
        #expect(defaults.overdueDays == ["petition": 60, "hotline12345": 15, "patrol": 7, "citymgmt": 7])
        #expect(defaults.overdueDefaultDays == 30)
        let fromMappings = AlertOptions(deadlines: ["patrol": 30, "cj12319": 10])
        #expect(fromMappings.overdueDays == ["petition": 60, "hotline12345": 15, "patrol": 30, "citymgmt": 7, "cj12319": 10])
        var o = options()
        o.alerts = fromMappings
        // patrol/DLQ-002 (reported 06-15) is no longer overdue on 07-01 with 30 days.
        let overdue = plain(try exporter.rows(table: .alerts, options: o).rows).filter { $0[0] == "overdue" }.map { $0[2] }
        #expect(overdue == ["hotline12345/NJ-002"])
    }
}
