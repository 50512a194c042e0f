import Foundation
import GRDB
import OneGridExport
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// The fixed sample every export test reads: 3 districts' worth of divisions, 3 grids, a
/// small taxonomy, 2 people, a grid-worker roster, 2 places, 1 incident seen by two feeds,
/// 8 events across three feeds (open and closed, rated and not), their sealed payloads,
/// and 1 reject. Times are Beijing wall clock.
enum Sample {
    /// A fixed key, so tokens and sealed payloads are the same on every run.
    static let key = PIIKey(bytes: Array(0..<32))
    static let tokenizer = PersonTokenizer(key: key)
    static let sealer = RecordSealer(key: key)

    static func t(_ text: String) -> Int64 {
        // "2020-06-01 09:00:00"
        let p = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
        return Timestamp(beijingYear: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4], second: p.count > 5 ? p[5] : 0)!.seconds
    }

    static func ts(_ text: String) -> Timestamp { Timestamp(seconds: t(text)) }

    static let idNumber: String = {
        let first17 = "32012319800101123"
        return first17 + String(IDNumber.checkCharacter(for: Array(first17.utf8)))
    }()

    static let zhang = PartyDraft(role: "caller", name: "张某某", idNumber: try! IDNumber(parsing: idNumber),
                                  phone: try! PhoneNumber(parsing: "13800000000"))
    static let li = PartyDraft(role: "caller", name: "李四", phone: try! PhoneNumber(parsing: "13911111111"))

    struct EventRow {
        var id: Int64
        var source: String
        var key: String
        var category: String?
        var nature: String?
        var status: EventStatus
        var reported: String
        var dispatched: String?
        var closed: String?
        var unit: String?
        var satisfaction: Satisfaction?
        var isRepeat = false
        var grid: String?
        var place: Int64?
        var incident: Int64?
        /// (person id or nil, role, masked name on the party row)
        var parties: [(Int64?, String, String?)] = []
        var steps: [(String, String)] = []
    }

    static let events: [EventRow] = [
        EventRow(id: 1, source: "hotline12345", key: "NJ-001", category: "HB.01.03", nature: "投诉", status: .closed,
                 reported: "2020-06-01 09:00:00", dispatched: "2020-06-01 10:00:00", closed: "2020-06-03 09:00:00",
                 unit: "六合区环保局", satisfaction: .dissatisfied, grid: "320116001003001", place: 1, incident: 1,
                 parties: [(1, "caller", "张**")]),
        EventRow(id: 2, source: "hotline12345", key: "NJ-002", category: "HB.01.03", nature: "投诉", status: .processing,
                 reported: "2020-06-05 08:00:00", dispatched: "2020-06-05 09:00:00", unit: "六合区环保局",
                 isRepeat: true, grid: "320116001003001", place: 1, incident: 1, parties: [(2, "caller", "李*")]),
        EventRow(id: 3, source: "petition", key: "XF-001", category: "HB.01", nature: "来访", status: .accepted,
                 reported: "2020-06-10 10:00:00", grid: "320116001003001", place: 1, incident: 1,
                 parties: [(1, "petitioner", "张**"), (2, "petitioner", "李*")],
                 steps: [("2020-06-10 11:00:00", "受理")]),
        EventRow(id: 4, source: "patrol", key: "DLQ-001", category: "CG.02", status: .closed,
                 reported: "2020-05-20 08:00:00", closed: "2020-05-20 12:00:00", grid: "320116001003002",
                 parties: [(nil, "reporter", "杜**")]),
        EventRow(id: 5, source: "patrol", key: "DLQ-002", category: "CG.02", status: .dispatched,
                 reported: "2020-06-15 08:00:00", grid: "320113005001001", place: 2,
                 parties: [(nil, "reporter", "赵*")]),
        EventRow(id: 6, source: "hotline12345", key: "NJ-003", category: "MD.01", nature: "求助", status: .visited,
                 reported: "2020-06-20 14:05:31", closed: "2020-06-21 14:05:31", unit: "仙林街道, \"综治办\"\n二科",
                 satisfaction: .satisfied, grid: "320113005001001", place: 2, parties: [(2, "caller", "李*")]),
        EventRow(id: 7, source: "hotline12345", key: "NJ-004", status: .withdrawn, reported: "2020-06-25 10:00:00"),
        EventRow(id: 8, source: "petition", key: "XF-002", category: "MD.01", nature: "来信", status: .rejected,
                 reported: "2020-05-10 09:00:00", closed: "2020-05-12 09:00:00", satisfaction: .verySatisfied,
                 grid: "320116001003002", parties: [(1, "petitioner", "张**")]),
    ]

    static func draft(_ e: EventRow) -> EventDraft {
        var d = EventDraft(source: e.source, sourceKey: e.key)
        d.category = e.category
        d.status = e.status
        d.reportedAt = ts(e.reported)
        for (person, role, masked) in e.parties {
            switch person {
            case 1?: var p = zhang; p.role = role; d.parties.append(p)
            case 2?: var p = li; p.role = role; d.parties.append(p)
            default: d.parties.append(PartyDraft(role: role, name: masked == "杜**" ? "杜某某" : "赵六", workerID: "W"))
            }
        }
        return d
    }

    /// A fresh in-memory warehouse holding the sample.
    static func warehouse() throws -> Warehouse {
        let w = try Warehouse()
        try w.write { db in try insert(db) }
        return w
    }

    static func insert(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO meta VALUES ('key_fingerprint', '\(key.fingerprint)'), ('schema_version', '1');
            INSERT INTO division VALUES
              ('320116', '六合区', 'district', '3201', NULL),
              ('320116001', '雄州街道', 'street', '320116', NULL),
              ('320116001003', '桥西社区', 'community', '320116001', '111'),
              ('320113', '栖霞区', 'district', '3201', NULL),
              ('320113005', '仙林街道', 'street', '320113', NULL),
              ('320113005001', '杉湖路社区', 'community', '320113005', '111');
            INSERT INTO grid VALUES
              ('320116001003001', '桥西社区第一网格', '320116001003', '综合', 420, NULL),
              ('320116001003002', '桥西社区第二网格', '320116001003', '综合', 380, NULL),
              ('320113005001001', '杉湖路社区第一网格', '320113005001', '专属', NULL, NULL);
            INSERT INTO category VALUES
              ('HB', '环境保护', NULL, 1), ('HB.01', '大气污染', 'HB', 2), ('HB.01.03', '餐饮油烟', 'HB.01', 3),
              ('CG', '城市管理', NULL, 1), ('CG.02', '市容环卫', 'CG', 2),
              ('MD', '矛盾纠纷', NULL, 1), ('MD.01', '邻里纠纷', 'MD', 2);
            INSERT INTO std_address VALUES
              ('SA1', '南京市六合区雄州街道华城名府3栋', '雄州路', '1号', '华城名府', '3栋', NULL, '320116001003001', 118.83, 32.35);
            INSERT INTO place VALUES
              (1, 'pk1', '华城名府3栋', 'hcmf3', 'hcmf', 'SA1', '320116001003001', '320116001003', '320116001', '320116', 118.83, 32.35, 'std_address', 0.95),
              (2, 'pk2', '杉湖路12号', 'shl12', NULL, NULL, '320113005001001', '320113005001', '320113005', '320113', NULL, NULL, 'community_name', 0.6);
            INSERT INTO incident VALUES
              (1, 'pk1', 'HB.01.03', 'SA1', '320116001003001', \(t("2020-06-01 09:00")), \(t("2020-06-10 10:00")), 3, 'hotline12345,petition', 1);
            INSERT INTO source_file (id, feed, path, sha256, size, mapping_hash, state, started_at) VALUES
              (1, 'hotline12345', 'inbox/12345_20200630.csv', 'aa', 100, 'map-hotline-1', 'loaded', \(t("2020-07-01 02:00"))),
              (2, 'petition', 'inbox/xf_lh_20200630.xml', 'bb', 100, 'map-petition-1', 'loaded', \(t("2020-07-01 02:05"))),
              (3, 'patrol', 'inbox/dlq_20200630.jsonl', 'cc', 100, 'map-patrol-1', 'loaded', \(t("2020-07-01 02:10")));
            """)
        for (id, party) in [(Int64(1), zhang), (2, li)] {
            let k = tokenizer.keys(for: party)
            try db.execute(sql: "INSERT INTO person VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, k.idToken, k.phoneToken, k.namePhoneToken, k.maskedName, k.maskedID, k.maskedPhone])
        }
        try db.execute(sql: """
            INSERT INTO worker VALUES
              ('W1', '320116001003002', '专职网格员', NULL, '杜**'),
              ('W2', '320116001003002', '兼职网格员', NULL, '王*'),
              ('W4', '320116001003002', '专职网格员', NULL, '钱*'),
              ('W3', '320113005001001', '政法网格员', NULL, '赵*');
            """)
        let fileOf = ["hotline12345": 1, "petition": 2, "patrol": 3]
        for e in events {
            let payload = try JSONEncoder.sorted.encode(draft(e))
            let hash = "h\(e.id)"
            let codes = e.grid.map { (String($0.prefix(12)), String($0.prefix(9)), String($0.prefix(6))) }
            try db.execute(sql: """
                INSERT INTO event (id, source, source_key, version_rank, content_hash, category, nature, status,
                  handling_unit, satisfaction, is_repeat, reported_at, dispatched_at, closed_at, grid_code,
                  community_code, street_code, district_code, place_id, incident_id, source_file_id, line)
                VALUES (?, ?, ?, 'r', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [e.id, e.source, e.key, hash, e.category, e.nature, e.status.rawValue, e.unit,
                                 e.satisfaction?.rawValue, e.isRepeat ? 1 : 0, t(e.reported), e.dispatched.map(t),
                                 e.closed.map(t), e.grid, codes?.0, codes?.1, codes?.2, e.place, e.incident,
                                 fileOf[e.source], e.id + 1])
            try db.execute(sql: """
                INSERT INTO event_version (event_id, version_rank, content_hash, source_file_id, line, byte_offset,
                  record_ordinal, payload) VALUES (?, 'r', ?, ?, ?, 0, ?, ?)
                """, arguments: [e.id, hash, fileOf[e.source], e.id + 1, e.id, Data(sealer.seal(Array(payload)))])
            // An older version with another hash: never the one exported.
            try db.execute(sql: """
                INSERT INTO event_version (event_id, version_rank, content_hash, source_file_id, line, byte_offset,
                  record_ordinal, payload) VALUES (?, 'q', ?, ?, 1, 0, 0, ?)
                """, arguments: [e.id, "old\(e.id)", fileOf[e.source], Data([1, 2, 3])])
            for (ordinal, party) in e.parties.enumerated() {
                try db.execute(sql: "INSERT INTO event_party VALUES (?, ?, ?, ?, 0, ?, ?)",
                               arguments: [e.id, ordinal, party.0, party.1, party.0 == nil ? "W1" : nil, party.2])
            }
            for (ordinal, step) in e.steps.enumerated() {
                try db.execute(sql: "INSERT INTO event_step VALUES (?, ?, ?, ?, NULL, NULL)",
                               arguments: [e.id, ordinal, t(step.0), step.1])
            }
        }
        try db.execute(sql: """
            INSERT INTO reject VALUES (1, 1, 'hotline12345', 12, 345, 11, '受理时间', 'bad_date',
              '无法识别的日期: 2020/13/45', ?, NULL)
            """, arguments: [Data(sealer.seal(Array("NJ-BAD,2020/13/45,王五,13700000000".utf8)))])
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }
}

/// A fresh temporary directory for one test's output files.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "onegrid-export-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The plain-text form of rows, for whole-value comparisons.
func plain(_ rows: [[ExportValue]]) -> [[String]] { rows.map { $0.map(\.plainText) } }
