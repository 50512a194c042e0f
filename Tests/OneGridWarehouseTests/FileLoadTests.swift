import GRDB
import OneGridModel
import OneGridWarehouse
import Testing

/// Linking rules that never link (each party a new person, each event a new incident).
let isolatedRules = LinkingRules(person: { _, _ in nil }, incident: { _, _ in nil }, incidentWindow: 30 * 86_400)

func event(_ key: String, status: EventStatus, versionAt: Int64, hash: String) -> ResolvedEvent {
    var draft = EventDraft(source: "hotline12345", sourceKey: key)
    draft.status = status
    draft.versionAt = Timestamp(seconds: versionAt)
    draft.reportedAt = Timestamp(seconds: 1_592_892_300)
    return ResolvedEvent(draft: draft, place: ResolvedPlace(text: "桥西社区", standardAddressID: nil, gridCode: "320116006001001",
                                                            method: .division, confidence: 0.4),
                         people: [], position: SourcePosition(file: "f.csv", line: 2, record: 1),
                         contentHash: hash, sealedPayload: [1, 2, 3], findings: [])
}

func file(_ name: String, date: String) -> SourceFileInfo {
    SourceFileInfo(feed: "hotline12345", path: name, sha256: name, size: 1, encoding: "UTF-8", gzip: false,
                   mappingHash: "m", exportDate: date)
}

@Suite("Loading versions of a source record")
struct FileLoadTests {
    @Test("the migration creates every table of the unified schema")
    func schema() throws {
        let warehouse = try Warehouse(inMemory: ())
        let tables = try warehouse.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        for t in ["division", "grid", "std_address", "worker", "person", "place", "event", "event_version", "event_party",
                  "event_step", "incident", "run", "source_file", "reject", "unmapped_value", "category", "finding", "meta"] {
            #expect(tables.contains(t), "missing table \(t)")
        }
    }

    @Test("a newer version updates, the same version is unchanged, an older one stays in history only")
    func versions() throws {
        let warehouse = try Warehouse(inMemory: ())
        let outcomes = try warehouse.write { db -> [LoadOutcome] in
            let first = try FileLoad(db: db, runID: nil, file: file("a.csv", date: "20200623"), rules: isolatedRules, now: 0)
            let o1 = try first.load(event("K1", status: .dispatched, versionAt: 100, hash: "h1"))
            let second = try FileLoad(db: db, runID: nil, file: file("b.csv", date: "20200624"), rules: isolatedRules, now: 0)
            let o2 = try second.load(event("K1", status: .closed, versionAt: 200, hash: "h2"))
            let o3 = try second.load(event("K1", status: .closed, versionAt: 200, hash: "h2"))
            let late = try FileLoad(db: db, runID: nil, file: file("c.csv", date: "20200622"), rules: isolatedRules, now: 0)
            let o4 = try late.load(event("K1", status: .received, versionAt: 50, hash: "h0"))
            return [o1, o2, o3, o4]
        }
        #expect(outcomes == [.new, .updated, .unchanged, .unchanged])
        let (status, versions) = try warehouse.read { db in
            (try String.fetchOne(db, sql: "SELECT status FROM event WHERE source_key = 'K1'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM event_version"))
        }
        #expect(status == "closed")
        #expect(versions == 3)
    }

    @Test("the read-only classifier predicts what loading would do, remembering keys within the file")
    func classify() throws {
        let warehouse = try Warehouse(inMemory: ())
        try warehouse.write { db in
            _ = try FileLoad(db: db, runID: nil, file: file("a.csv", date: "20200623"), rules: isolatedRules, now: 0)
                .load(event("K1", status: .dispatched, versionAt: 100, hash: "h1"))
        }
        let outcomes = try warehouse.read { db in
            let c = try FileLoad(readOnly: db, feed: "hotline12345", exportDate: "20200624", rules: isolatedRules)
            return [try c.classify(event("K1", status: .dispatched, versionAt: 100, hash: "h1")),
                    try c.classify(event("K1", status: .closed, versionAt: 200, hash: "h2")),
                    try c.classify(event("K2", status: .received, versionAt: 10, hash: "h3")),
                    try c.classify(event("K2", status: .received, versionAt: 10, hash: "h3"))]
        }
        #expect(outcomes == [.unchanged, .updated, .new, .unchanged])
    }
}

