import Foundation
import Testing
import OneGridExport
import OneGridModel
import OneGridPrivacy

@Suite struct PrivacyTests {
    let warehouse = try! Sample.warehouse()
    var exporter: Exporter { Exporter(warehouse: warehouse) }

    @Test func tokensReplaceMaskedForms() throws {
        let rows = plain(try exporter.rows(table: .people, options: options(pii: .token)).rows)
        let zhang = Sample.tokenizer.keys(for: Sample.zhang)
        let li = Sample.tokenizer.keys(for: Sample.li)
        // Each token column is named for what it is: ID-number, phone, name-with-phone token.
        #expect(rows.map { Array($0[0..<4]) } == [
            ["1", zhang.idToken!, zhang.phoneToken!, zhang.namePhoneToken ?? ""],
            ["2", "", li.phoneToken!, li.namePhoneToken!],
        ])
        #expect(try exporter.rows(table: .people, options: options(pii: .token)).headers.prefix(4)
                == ["person_id", "id_token", "phone_token", "name_phone_token"])
        let events = plain(try exporter.rows(table: .events, options: options(pii: .token)).rows)
        #expect(Array(events[0][29..<32]) == ["caller:\(zhang.idToken!)", "caller:\(zhang.phoneToken!)", "caller:\(zhang.idToken!)"])
        #expect(!events.flatMap { $0 }.contains { $0.contains("张") || $0.contains("138****") })
    }

    @Test func clearValuesComeFromTheSealedCurrentVersion() throws {
        let o = options(pii: .clear, key: Sample.key)
        let events = plain(try exporter.rows(table: .events, options: o).rows)
        #expect(Array(events[2][29..<32]) == ["petitioner:张某某; petitioner:李四",
                                        "petitioner:13800000000; petitioner:13911111111",
                                        "petitioner:\(Sample.idNumber)"])
        #expect(Array(events[3][29..<32]) == ["reporter:杜某某", "", ""])
        let people = plain(try exporter.rows(table: .people, options: o).rows)
        #expect(people.map { Array($0[0..<4]) } == [["1", "张某某", Sample.idNumber, "13800000000"], ["2", "李四", "", "13911111111"]])
        let rejects = plain(try exporter.rows(table: .rejects, options: o).rows)
        #expect(rejects[0].last == "NJ-BAD,2020/13/45,王五,13700000000")
    }

    @Test("a person no stored payload names in clear keeps the masked forms, marked, and the others are clear")
    func clearPersonWithoutPayloadIsMarked() throws {
        // As for a roster worker: the person's tokens match no party of any sealed payload.
        try warehouse.write { db in
            try db.execute(sql: "UPDATE person SET id_token = 'other', name_phone_token = 'other', phone_token = 'other' WHERE id = 2")
        }
        let people = plain(try exporter.rows(table: .people, options: options(pii: .clear, key: Sample.key)).rows)
        #expect(people.map { Array($0[0..<4]) } == [
            ["1", "张某某", Sample.idNumber, "13800000000"],
            ["2", "李*（无明文）", "", "139****1111（无明文）"],
        ])
    }

    @Test func clearWithoutKeyIsRefusedAndWritesNothing() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/events.csv"
        #expect(throws: ExportError.clearNeedsKey) {
            try exporter.export(table: .events, format: .csv, to: path, options: options(pii: .clear))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
        #expect(ExportError.clearNeedsKey.description == "--pii clear needs the key file (--key); nothing was written")
    }

    @Test func clearWithoutPayloadIsRefusedAndWritesNothing() throws {
        try warehouse.write { db in try db.execute(sql: "DELETE FROM event_version WHERE event_id = 6 AND content_hash = 'h6'") }
        let dir = try temporaryDirectory()
        #expect(throws: ExportError.clearPayloadMissing(source: "hotline12345", sourceKey: "NJ-003")) {
            try exporter.export(table: .events, format: .xlsx, to: dir + "/e.xlsx", options: options(pii: .clear, key: Sample.key))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
        // Masked exports do not need payloads.
        #expect(try exporter.export(table: .events, format: .csv, to: dir + "/e.csv", options: options()).rows == 8)
    }

    @Test func clearWithAnotherKeyIsRefused() throws {
        let other = PIIKey(bytes: Array(repeating: 7, count: 32))
        #expect(throws: ExportError.clearPayloadUnreadable(source: "hotline12345", sourceKey: "NJ-001")) {
            try exporter.rows(table: .events, options: options(pii: .clear, key: other))
        }
    }
}
