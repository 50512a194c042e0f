import Foundation
import Testing
import OneGridExport
import OneGridModel

/// Filters that cannot mean what they say are refused, naming the valid values.
@Suite struct FilterCheckTests {
    let exporter = Exporter(warehouse: try! Sample.warehouse())

    func refusal(_ filter: ExportFilter) -> ExportError? {
        do {
            try exporter.check(filter)
            return nil
        } catch {
            return error
        }
    }

    @Test func aDistrictCodeTheWarehouseDoesNotHold() {
        // Before the check, 32011 was a prefix of three districts' codes and exported their events.
        #expect(refusal(ExportFilter(district: "32011")) == .invalidFilter(
            name: "--district", message: "no district '32011'; district codes: 320113 栖霞区, 320116 六合区"))
        #expect(refusal(ExportFilter(district: "320114")) == .invalidFilter(
            name: "--district", message: "no district '320114'; district codes: 320113 栖霞区, 320116 六合区"))
    }

    @Test func aCodeOfAnotherLevel() {
        #expect(refusal(ExportFilter(grid: "320116001003")) == .invalidFilter(
            name: "--grid", message: "'320116001003' is a community code (桥西社区); use --community; grid codes: "
                + "320113005001001 杉湖路社区第一网格, 320116001003001 桥西社区第一网格, 320116001003002 桥西社区第二网格"))
        #expect(refusal(ExportFilter(street: "320116")) == .invalidFilter(
            name: "--street", message: "'320116' is a district code (六合区); use --district; street codes: 320113005 仙林街道, 320116001 雄州街道"))
    }

    @Test func theParentFilterNarrowsTheList() {
        #expect(refusal(ExportFilter(district: "320116", grid: "320116001003009")) == .invalidFilter(
            name: "--grid", message: "no grid '320116001003009'; grid codes: 320116001003001 桥西社区第一网格, 320116001003002 桥西社区第二网格"))
    }

    @Test func longListsAreCut() throws {
        #expect(throws: ExportError.invalidFilter(name: "--grid", message: "no grid '3'; grid codes: 320113005001001 杉湖路社区第一网格, …")) {
            try exporter.check(ExportFilter(grid: "3"), listed: 1)
        }
    }

    @Test func unknownFeedsAndCategories() {
        #expect(refusal(ExportFilter(source: "hotline12345, hotline")) == .invalidFilter(
            name: "--source", message: "no feed 'hotline'; the warehouse holds: hotline12345, patrol, petition"))
        #expect(refusal(ExportFilter(category: "HB.09")) == .invalidFilter(
            name: "--category", message: "no category 'HB.09'; a code of the taxonomy or its prefix level, such as: CG 城市管理, HB 环境保护, MD 矛盾纠纷"))
    }

    @Test func sinceMustComeBeforeUntil() {
        let june = Sample.ts("2020-06-01 00:00:00"), may = Sample.ts("2020-05-01 00:00:00")
        #expect(refusal(ExportFilter(since: june, until: may)) == .invalidFilter(
            name: "--since", message: "2020-06-01 00:00:00 is not before --until 2020-05-01 00:00:00"))
        #expect(refusal(ExportFilter(since: june, until: june)) != nil)
    }

    @Test func validFiltersPass() {
        #expect(refusal(ExportFilter(since: Sample.ts("2020-05-01 00:00:00"), until: Sample.ts("2020-06-01 00:00:00"),
                                     district: "320116", street: "320116001", community: "320116001003", grid: "320116001003001",
                                     source: "patrol,petition", category: "HB.01")) == nil)
    }

    @Test func anExportRefusedForItsFilterWritesNothing() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ExportError.self) {
            try exporter.export(table: .events, format: .csv, to: folder + "/e.csv", options: options(ExportFilter(district: "32011")))
        }
        var o = options()
        o.encoding = .gb18030
        #expect(throws: ExportError.invalidOption(name: "--encoding", message: "gb18030 is for CSV; jsonl is always UTF-8")) {
            try exporter.export(table: .events, format: .jsonl, to: folder + "/e.jsonl", options: o)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    }
}
