import GRDB
import OneGridModel
@testable import OneGridWarehouse
import Testing

/// More look-ups than `WriterFilters.buildAfter`, so the filters are built mid-load.
private let pastFilterThreshold = WriterFilters.buildAfter + 500

/// An event at `place` with one caller known by `phone` (a token as the tokenizer makes them).
private func call(_ key: String, phone: String, place: IncidentPlaceKey?, hash: String = "h", at: Int64 = 1_592_892_300) -> ResolvedEvent {
    var draft = EventDraft(source: "hotline12345", sourceKey: key)
    draft.status = .received
    draft.versionAt = Timestamp(seconds: 100)
    draft.reportedAt = Timestamp(seconds: at)
    draft.parties = [PartyDraft(role: "caller")]
    return ResolvedEvent(draft: draft,
                         place: ResolvedPlace(text: "地址\(key)", gridCode: "320116006001001", method: .division, confidence: 0.4,
                                              incidentPlaceKey: place),
                         people: [PersonKeys(phoneToken: "phone-" + phone)], position: SourcePosition(file: "f.csv", line: 2, record: 1),
                         contentHash: hash, sealedPayload: [1], findings: [])
}

/// Links a party to the first person sharing a token and an event to the first candidate incident.
private let firstCandidateRules = LinkingRules(person: { _, known in known.first?.id },
                                               incident: { _, known in
                                                   known.first.map { IncidentLink(incidentID: $0.id, rule: "test", score: 1) }
                                               }, incidentWindow: 30 * 86_400)

private func bigFile(_ name: String) -> SourceFileInfo {
    SourceFileInfo(feed: "hotline12345", path: name, sha256: name, size: 64 << 20, encoding: "UTF-8", gzip: false,
                   mappingHash: "m", exportDate: "20200623")
}

@Suite("The writer's fast path decides what the look-up queries decide")
struct WriterFastPathTests {
    @Test("a key filter never answers no for a key it holds, and rarely yes for one it does not")
    func keyFilter() {
        var filter = KeyFilter(capacity: 50_000)
        for i in 0..<50_000 { filter.insert("NJ12345-20200623-\(i)") }
        #expect((0..<50_000).allSatisfy { filter.mayContain("NJ12345-20200623-\($0)") })
        let falseYes = (0..<50_000).filter { filter.mayContain("NJ12345-20200624-\($0)") }.count
        #expect(falseYes < 1_500, "false yes for \(falseYes) of 50,000 keys")
    }

    @Test("past the filter threshold, repeated keys in a file and in the warehouse are found: updated or unchanged, never a second event")
    func repeatedKeys() throws {
        let warehouse = try Warehouse(inMemory: ())
        let n = pastFilterThreshold
        let first = try warehouse.write { db -> [LoadOutcome] in
            let load = try FileLoad(db: db, runID: nil, file: bigFile("a.csv"), rules: isolatedRules, now: 0)
            // Every key twice in the file: the second copy is unchanged (same hash).
            return try (0..<n).map { try load.load(call("K\($0)", phone: "\($0)", place: nil)) }
                + (0..<n).map { try load.load(call("K\($0)", phone: "\($0)", place: nil)) }
        }
        #expect(first.filter { $0 == .new }.count == n)
        #expect(first.filter { $0 == .unchanged }.count == n)
        let second = try warehouse.write { db -> [LoadOutcome] in
            let load = try FileLoad(db: db, runID: nil, file: bigFile("b.csv"), rules: isolatedRules, now: 0)
            // A newer version of every other key, then n keys never seen.
            var outcomes: [LoadOutcome] = []
            for i in 0..<n {
                var e = call("K\(i)", phone: "\(i)", place: nil, hash: i % 2 == 0 ? "h2" : "h")
                e.draft.versionAt = Timestamp(seconds: 200)
                outcomes.append(try load.load(e))
            }
            for i in n..<(2 * n) { outcomes.append(try load.load(call("K\(i)", phone: "\(i)", place: nil))) }
            return outcomes
        }
        #expect(second.prefix(n).filter { $0 == .updated }.count == (n + 1) / 2)
        #expect(second.prefix(n).filter { $0 == .unchanged }.count == n / 2)
        #expect(second.suffix(n).allSatisfy { $0 == .new })
        let events = try warehouse.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") }
        #expect(events == 2 * n)
    }

    @Test("past the filter threshold, a caller seen before, in this file or an earlier one, is the same person")
    func repeatedCallers() throws {
        let warehouse = try Warehouse(inMemory: ())
        let n = pastFilterThreshold
        try warehouse.write { db in
            let load = try FileLoad(db: db, runID: nil, file: bigFile("a.csv"), rules: firstCandidateRules, now: 0)
            // Callers 0..<n/2, each calling twice in the file.
            for i in 0..<n { try load.load(call("A\(i)", phone: "\(i % (n / 2))", place: nil)) }
        }
        try warehouse.write { db in
            let load = try FileLoad(db: db, runID: nil, file: bigFile("b.csv"), rules: firstCandidateRules, now: 0)
            // The same callers again, then as many new ones.
            for i in 0..<n { try load.load(call("B\(i)", phone: "\(i)", place: nil)) }
        }
        let (people, parties) = try warehouse.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM person"),
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT person_id) FROM event_party"))
        }
        #expect(people == n)
        #expect(parties == n)
    }

    @Test("past the filter threshold, an event meets the incidents of its place, its compound and the compound's buildings")
    func incidentPlaces() throws {
        let warehouse = try Warehouse(inMemory: ())
        let n = pastFilterThreshold
        let compound = "320116006001|云樟墅雅筑"
        let ids = try warehouse.write { db -> [Int64?] in
            let load = try FileLoad(db: db, runID: nil, file: bigFile("a.csv"), rules: firstCandidateRules, now: 0)
            // Places of their own, past the threshold.
            for i in 0..<n { try load.load(call("W\(i)", phone: "w\(i)", place: .standardAddress("S\(i)"))) }
            // A building first, then its compound (the range part of the query), then another
            // building of it (its compound's incident), then a building of another compound.
            try load.load(call("X1", phone: "x1", place: .building(compound: compound, building: "24栋")))
            try load.load(call("X2", phone: "x2", place: .compound(compound)))
            try load.load(call("X3", phone: "x3", place: .building(compound: compound, building: "24栋")))
            try load.load(call("X4", phone: "x4", place: .building(compound: compound + "二期", building: "1栋")))
            try load.load(call("X5", phone: "x5", place: .standardAddress("S7")))
            return try ["X1", "X2", "X3", "X4", "X5", "W7"].map {
                try Int64.fetchOne(db, sql: "SELECT incident_id FROM event WHERE source_key = ?", arguments: [$0])
            }
        }
        #expect(ids[0] != nil)
        #expect(ids[1] == ids[0])
        #expect(ids[2] == ids[0])
        #expect(ids[3] != ids[0])
        #expect(ids[4] == ids[5])
    }

    @Test("a bulk load into an empty warehouse leaves every index as it was, committed or rolled back")
    func deferredIndexes() throws {
        let warehouse = try Warehouse(inMemory: ())
        let indexes = { try warehouse.read { db in
            try String.fetchAll(db, sql: "SELECT name || ':' || coalesce(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name")
        } }
        let before = try indexes()
        let during = try warehouse.loadFile(runID: nil, file: bigFile("a.csv"), rules: isolatedRules, now: 0, bulk: true) { load -> [String] in
            try load.load(call("K1", phone: "1", place: nil))
            return try String.fetchAll(load.db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('event_reported', 'event_grid')
                """)
        }
        #expect(during.isEmpty)
        #expect(try indexes() == before)
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try warehouse.loadFile(runID: nil, file: bigFile("b.csv"), rules: isolatedRules, now: 0, bulk: true) { (_: FileLoad) throws -> Void in throw Failure() }
        }
        #expect(try indexes() == before)
        let reported = try warehouse.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM event WHERE reported_at > 0").map { $0["detail"] as String }.joined()
        }
        #expect(reported.contains("event_reported"))
    }

    @Test("a file smaller than the warehouse takes the ordinary path")
    func smallFileKeepsIndexes() throws {
        let warehouse = try Warehouse(inMemory: ())
        try warehouse.write { db in
            let load = try FileLoad(db: db, runID: nil, file: bigFile("a.csv"), rules: isolatedRules, now: 0)
            for i in 0..<10 { try load.load(call("K\(i)", phone: "\(i)", place: nil)) }
        }
        let small = SourceFileInfo(feed: "hotline12345", path: "b.csv", sha256: "b", size: 1_000, encoding: nil, gzip: false,
                                   mappingHash: "m", exportDate: nil)
        let (smallPays, bigPays) = try warehouse.read { db in
            (try DeferredIndexes.pays(db, fileBytes: small.size), try DeferredIndexes.pays(db, fileBytes: bigFile("c.csv").size))
        }
        #expect(!smallPays)
        #expect(bigPays)
    }
}
