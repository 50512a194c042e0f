import Foundation
import OneGridMapping
import OneGridModel
import Testing

@Suite("The shipped patrol and petition mappings take closing and dispatch times from their steps")
struct ShippedMappingStepTimesTests {
    func shipped(_ feed: String, _ data: String) throws -> [EventDraft] {
        try mapAll(root + "/Mappings/\(feed).yaml", root + "/Tests/Fixtures/mapping-rules/\(data)").compactMap(\.draft)
    }

    @Test("patrol: closed at the last 结案 (or 自行处置) step, dispatched at the first 派单 step")
    func patrol() throws {
        let d = try shipped("patrol", "patrol-closed.jsonl")
        let selfResolved = Timestamp(beijingYear: 2020, month: 6, day: 24, hour: 23, minute: 37, second: 33)
        let dispatched = Timestamp(beijingYear: 2020, month: 6, day: 23, hour: 16, minute: 6, second: 59)
        #expect(d.map(\.closedAt) == [selfResolved, beijing(25, 10), nil])
        #expect(d.map(\.dispatchedAt) == [nil, dispatched, dispatched])
    }

    @Test("petition: closed at the 办结 step, dispatched at the 交办 step; headcount in Chinese numerals")
    func petition() throws {
        let d = try shipped("petition", "petition-closed.xml")
        #expect(d.map(\.closedAt) == [Timestamp(beijingYear: 2020, month: 6, day: 30, hour: 17, minute: 20), nil])
        #expect(d.map(\.dispatchedAt) == [beijing(24, 9), nil])
        #expect(d.map(\.headcount) == [25, nil])
        #expect(d.map(\.status) == [.closed, .received])
    }

    @Test("every shipped mapping states its deadline: today's overdue days")
    func deadlines() throws {
        let days = try ["petition", "hotline12345", "patrol", "citymgmt"].map { try Mapping.load(path: root + "/Mappings/\($0).yaml").deadlineDays }
        #expect(days == [60, 15, 7, 7])
    }
}
