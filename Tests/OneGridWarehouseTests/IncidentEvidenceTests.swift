import GRDB
import OneGridModel
import OneGridWarehouse
import Testing

@Suite("Incident links stored with their evidence")
struct IncidentEvidenceTests {
    /// Rules that join any candidate offered, on "close text", and keep the more specific category.
    static let joinFirst: LinkingRules = {
        var rules = LinkingRules(person: { _, _ in nil },
                                 incident: { _, known in
                                     known.first.map { IncidentLink(incidentID: $0.id, rule: "close_text", score: 0.5,
                                                                    categoryRelation: "catch_all") }
                                 },
                                 incidentWindow: 30 * 86_400)
        rules.incidentTerms = { $0.title ?? "" }
        rules.incidentCategory = { current, new in new == "CG.04" ? new : current }
        return rules
    }()

    /// A report at building 3 of 华城名府, its caller (no worker id) and a grid worker on it.
    static func report(_ key: String, feed: String, category: String, title: String, day: Int64) -> ResolvedEvent {
        var draft = EventDraft(source: feed, sourceKey: key)
        draft.category = category
        draft.title = title
        draft.reportedAt = Timestamp(seconds: 1_592_892_300 + day * 86_400)
        draft.parties = [PartyDraft(role: "caller"), PartyDraft(role: "reporter", workerID: "W01")]
        let place = ResolvedPlace(text: "华城名府3幢", gridCode: "320116006001001", method: .fuzzy, confidence: 0.9,
                                  incidentPlaceKey: .building(compound: "320116006001|华城名府", building: "3"))
        return ResolvedEvent(draft: draft, place: place,
                             people: [PersonKeys(phoneToken: "caller-" + key), PersonKeys(phoneToken: "worker")],
                             position: SourcePosition(file: "f", line: 2, record: 1), contentHash: key,
                             sealedPayload: [], findings: [])
    }

    static func load(_ events: [ResolvedEvent], into warehouse: Warehouse) throws {
        try warehouse.write { db in
            for e in events {
                let info = SourceFileInfo(feed: e.draft.source, path: e.draft.sourceKey, sha256: e.draft.sourceKey, size: 1,
                                          encoding: nil, gzip: false, mappingHash: "m", exportDate: "20200623")
                _ = try FileLoad(db: db, runID: nil, file: info, rules: joinFirst, now: 0).load(e)
            }
        }
    }

    @Test("the joining event keeps the rule, score and category relation; the founding event none")
    func evidencePerLink() throws {
        let warehouse = try Warehouse(inMemory: ())
        try Self.load([Self.report("H1", feed: "hotline12345", category: "CG.04", title: "老王烧烤店", day: 0),
                       Self.report("D1", feed: "patrol", category: "CG.99", title: "金鑫装饰公司", day: 1)], into: warehouse)
        let rows = try warehouse.read { db in
            try Row.fetchAll(db, sql: "SELECT source_key, incident_id, incident_rule, incident_score, incident_category FROM event ORDER BY id")
        }
        #expect(rows.count == 2)
        #expect(rows[0]["incident_id"] as Int64? == rows[1]["incident_id"] as Int64?)
        #expect(rows[0]["incident_rule"] as String? == nil && rows[0]["incident_score"] as Double? == nil)
        #expect(rows[1]["incident_rule"] as String? == "close_text")
        #expect(rows[1]["incident_score"] as Double? == 0.5)
        #expect(rows[1]["incident_category"] as String? == "catch_all")
    }

    @Test("candidates of any category are offered (the rule decides), and the incident keeps its raisers and terms")
    func incidentRemembersPeopleAndTerms() throws {
        let warehouse = try Warehouse(inMemory: ())
        try Self.load([Self.report("D1", feed: "patrol", category: "CG.99", title: "金鑫装饰公司", day: 0),
                       Self.report("H1", feed: "hotline12345", category: "CG.04", title: "老王烧烤店", day: 1)], into: warehouse)
        let incident = try warehouse.read { db in
            try Row.fetchOne(db, sql: """
                SELECT place_key, sources, people, terms, category, event_count FROM incident JOIN incident_signal ON incident_id = id
                """)
        }
        #expect(incident?["place_key"] as String? == "building:320116006001|华城名府|3")
        #expect(incident?["sources"] as String? == "hotline12345,patrol")
        // The grid worker (a party with a worker id) is not someone who raised the matter: kept
        // apart as its recorder.
        #expect(incident?["people"] as String? == "caller-D1 caller-H1 recorder:W01")
        #expect(incident?["terms"] as String? == "老王烧烤店 金鑫装饰公司")
        #expect(incident?["category"] as String? == "CG.04")
        #expect(incident?["event_count"] as Int64? == 2)
    }

    @Test("the related category pairs are replaced as a whole and read back")
    func relatedCategories() throws {
        let warehouse = try Warehouse(inMemory: ())
        let store = ReferenceStore(warehouse: warehouse)
        try store.write { try $0.replace(relatedCategories: [("CG.01", "SR.03", "why"), ("MD.02", "MD.99", nil)]) }
        try store.write { try $0.replace(relatedCategories: [("CG.03", "CG.01", nil)]) }
        let pairs = try store.relatedCategories()
        #expect(pairs.map { "\($0.0)~\($0.1)" } == ["CG.03~CG.01"])
    }
}
