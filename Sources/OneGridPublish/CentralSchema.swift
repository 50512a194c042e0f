import OneGridModel
import OneGridWarehouse

/// The central schema's DDL: the published tables (`ChangeFeed.tables`, each with `origin`
/// first and keyed by origin and the warehouse key), the version and watermark tables, and
/// the analysts' views. Versioned as numbered steps: a newer OneGrid applies the steps a
/// schema lacks; an older one refuses a schema whose version it does not know.
public struct CentralSchema: Sendable {
    /// The version this OneGrid writes.
    public static let version = 1

    /// The schema's name (a plain identifier, checked by `PublishTarget.parse`).
    public let name: String

    public init(name: String) {
        self.name = name
    }

    /// The steps that bring a schema from version `n - 1` to `n`, by `n`. Shipped steps are
    /// never edited, only followed.
    public var migrations: [Int: [String]] {
        [1: version1]
    }

    /// The SQL type of a published column.
    static func sqlType(_ kind: PublishedKind) -> String {
        switch kind {
        case .text: return "text"
        case .integer: return "bigint"
        // The warehouse stores IEEE doubles; `double precision` keeps them exactly.
        case .real: return "double precision"
        case .boolean: return "boolean"
        case .timestamp: return "timestamptz"
        }
    }

    /// `schema.table`.
    func qualified(_ table: String) -> String { "\(name).\(table)" }

    var version1: [String] {
        var sql = [
            "CREATE SCHEMA IF NOT EXISTS \(name)",
            """
            CREATE TABLE \(qualified("onegrid_schema")) (
                version     integer NOT NULL,
                migrated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE \(qualified("publish_watermark")) (
                origin       text PRIMARY KEY,
                seq          bigint NOT NULL,
                published_at timestamptz NOT NULL DEFAULT now(),
                batches      bigint NOT NULL DEFAULT 0,
                rows         bigint NOT NULL DEFAULT 0
            )
            """,
        ]
        for table in ChangeFeed.tables {
            let columns = ["origin text NOT NULL"] + table.columns.map { column in
                let notNull = table.primaryKey.contains(column.name) ? " NOT NULL" : ""
                return "\(column.name) \(Self.sqlType(column.kind))\(notNull)"
            }
            sql.append("""
                CREATE TABLE \(qualified(table.name)) (
                    \(columns.joined(separator: ",\n    ")),
                    PRIMARY KEY (origin, \(table.primaryKey.joined(separator: ", ")))
                )
                """)
        }
        sql += [
            "CREATE INDEX event_natural_key ON \(qualified("event")) (origin, source, source_key)",
            "CREATE INDEX event_reported ON \(qualified("event")) (origin, reported_at)",
            "CREATE INDEX event_incident ON \(qualified("event")) (origin, incident_id)",
            "CREATE INDEX place_key ON \(qualified("place")) (origin, place_key)",
        ]
        sql += views
        return sql
    }

    // MARK: views

    /// `CASE` mapping an enum's codes to its Chinese names, the code itself otherwise (as
    /// the exports show an unknown code).
    static func names<E: RawRepresentable & CaseIterable>(_ column: String, _ type: E.Type, _ name: (E) -> String) -> String
        where E.RawValue == String {
        "CASE \(column) " + type.allCases.map { "WHEN '\($0.rawValue)' THEN '\(name($0))'" }.joined(separator: " ") + " ELSE \(column) END"
    }

    /// Beijing wall-clock time of a `timestamptz` (UTC+8 all year, as the exports count it).
    static func beijing(_ column: String) -> String { "(\(column) AT TIME ZONE INTERVAL '+08:00')" }

    var views: [String] {
        let s = name
        let status = Self.names("e.status", EventStatus.self) { $0.chineseName }
        let satisfaction = Self.names("e.satisfaction", Satisfaction.self) { $0.chineseName }
        let open = EventStatus.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return [
            // events_wide: the `events` export, one row per event with names looked up.
            """
            CREATE VIEW \(s).events_wide AS
            SELECT e.origin, e.id AS event_id, e.source, e.source_key,
                   k.domain_code, cd.name AS domain_name, k.class_code, cc.name AS class_name,
                   k.subclass_code, cs.name AS subclass_name,
                   e.nature, e.status AS status_code, \(status) AS status,
                   e.reported_at, e.dispatched_at, e.closed_at,
                   CASE WHEN e.closed_at >= e.reported_at
                        THEN round(extract(epoch FROM e.closed_at - e.reported_at) / 3600, 2) END AS hours_to_close,
                   e.handling_unit, \(satisfaction) AS satisfaction, e.is_repeat,
                   e.grid_code, g.name AS grid_name, e.community_code, dc.name AS community_name,
                   e.street_code, ds.name AS street_name, e.district_code, dd.name AS district_name,
                   coalesce(sa.address, p.text) AS place, e.incident_id,
                   pp.people, pp.people_phones, pp.people_ids,
                   e.title, e.channel, e.urgency,
                   -- EventsTable.largestHeadcount: more digits are an identifier in the wrong field.
                   CASE WHEN e.headcount BETWEEN 0 AND 99999 THEN e.headcount END AS headcount,
                   e.match_method, e.match_confidence
            FROM \(s).event e
            CROSS JOIN LATERAL (
                SELECT CASE WHEN e.category IS NOT NULL THEN split_part(e.category, '.', 1) END AS domain_code,
                       CASE WHEN cardinality(string_to_array(e.category, '.')) >= 2
                            THEN array_to_string((string_to_array(e.category, '.'))[1:2], '.') END AS class_code,
                       CASE WHEN cardinality(string_to_array(e.category, '.')) >= 3
                            THEN array_to_string((string_to_array(e.category, '.'))[1:3], '.') END AS subclass_code
            ) k
            LEFT JOIN \(s).category cd ON cd.origin = e.origin AND cd.code = k.domain_code
            LEFT JOIN \(s).category cc ON cc.origin = e.origin AND cc.code = k.class_code
            LEFT JOIN \(s).category cs ON cs.origin = e.origin AND cs.code = k.subclass_code
            LEFT JOIN \(s).grid g ON g.origin = e.origin AND g.code = e.grid_code
            LEFT JOIN \(s).division dc ON dc.origin = e.origin AND dc.code = e.community_code
            LEFT JOIN \(s).division ds ON ds.origin = e.origin AND ds.code = e.street_code
            LEFT JOIN \(s).division dd ON dd.origin = e.origin AND dd.code = e.district_code
            LEFT JOIN \(s).place p ON p.origin = e.origin AND p.id = e.place_id
            LEFT JOIN \(s).std_address sa ON sa.origin = p.origin AND sa.id = p.std_address_id
            LEFT JOIN LATERAL (
                SELECT string_agg(ep.role || ':' || coalesce(pe.masked_name, ep.masked_name), '; ' ORDER BY ep.ordinal)
                           FILTER (WHERE coalesce(pe.masked_name, ep.masked_name) <> '') AS people,
                       string_agg(ep.role || ':' || pe.masked_phone, '; ' ORDER BY ep.ordinal)
                           FILTER (WHERE pe.masked_phone <> '') AS people_phones,
                       string_agg(ep.role || ':' || pe.masked_id, '; ' ORDER BY ep.ordinal)
                           FILTER (WHERE pe.masked_id <> '') AS people_ids
                FROM \(s).event_party ep
                LEFT JOIN \(s).person pe ON pe.origin = ep.origin AND pe.id = ep.person_id
                WHERE ep.origin = e.origin AND ep.event_id = e.id
            ) pp ON true
            """,
            // incidents: the `incidents` export.
            """
            CREATE VIEW \(s).incidents AS
            SELECT i.origin, i.id AS incident_id,
                   coalesce(sa.address, (SELECT p.text FROM \(s).place p WHERE p.origin = i.origin AND p.place_key = i.place_key LIMIT 1)) AS place,
                   i.std_address_id, i.grid_code, g.name AS grid_name,
                   dc.name AS community_name, ds.name AS street_name, dd.name AS district_name,
                   i.category AS category_code, c.name AS category_name,
                   i.first_report, i.last_report,
                   array_to_string(src.list, ',') AS sources, cardinality(src.list) AS source_count,
                   i.event_count, i.is_open, CASE WHEN i.is_open THEN '未办结' ELSE '已办结' END AS state,
                   ev.link_rules, round(ev.weakest_link_score::numeric, 4) AS weakest_link_score, ev.link_categories
            FROM \(s).incident i
            -- Why its events joined (IncidentEvidenceSummary): each rule with its count, the
            -- weakest score, the category relations.
            LEFT JOIN LATERAL (
                SELECT (SELECT string_agg(r.rule || '×' || r.n, ',' ORDER BY r.rule COLLATE "C")
                        FROM (SELECT e.incident_rule AS rule, count(*) AS n FROM \(s).event e
                              WHERE e.origin = i.origin AND e.incident_id = i.id AND e.incident_rule IS NOT NULL
                              GROUP BY e.incident_rule) r) AS link_rules,
                       (SELECT min(e.incident_score) FROM \(s).event e
                        WHERE e.origin = i.origin AND e.incident_id = i.id AND e.incident_rule IS NOT NULL) AS weakest_link_score,
                       (SELECT string_agg(DISTINCT c.x COLLATE "C", ',' ORDER BY c.x COLLATE "C")
                        FROM \(s).event e CROSS JOIN LATERAL unnest(string_to_array(e.incident_category, ',')) AS c(x)
                        WHERE e.origin = i.origin AND e.incident_id = i.id AND e.incident_rule IS NOT NULL AND c.x <> '') AS link_categories
            ) ev ON true
            CROSS JOIN LATERAL (
                SELECT ARRAY(SELECT x FROM unnest(string_to_array(coalesce(i.sources, ''), ',')) WITH ORDINALITY AS u(x, n)
                             WHERE x <> '' ORDER BY n) AS list,
                       CASE WHEN octet_length(i.grid_code) >= 12 THEN left(i.grid_code, 12) END AS community,
                       CASE WHEN octet_length(i.grid_code) >= 12 THEN left(i.grid_code, 9) END AS street,
                       CASE WHEN octet_length(i.grid_code) >= 12 THEN left(i.grid_code, 6) END AS district
            ) src
            LEFT JOIN \(s).std_address sa ON sa.origin = i.origin AND sa.id = i.std_address_id
            LEFT JOIN \(s).grid g ON g.origin = i.origin AND g.code = i.grid_code
            LEFT JOIN \(s).division dc ON dc.origin = i.origin AND dc.code = src.community
            LEFT JOIN \(s).division ds ON ds.origin = i.origin AND ds.code = src.street
            LEFT JOIN \(s).division dd ON dd.origin = i.origin AND dd.code = src.district
            LEFT JOIN \(s).category c ON c.origin = i.origin AND c.code = i.category
            """,
            // grid_monthly: the `grid_monthly` export at every level (`level` column), with the
            // per-feed counts in one `events_by_feed` object (a view's columns cannot follow the
            // feeds a warehouse happens to hold) and the export's default assessment thresholds.
            """
            CREATE VIEW \(s).grid_monthly AS
            WITH facts AS (
                SELECT e.origin, u.level, u.unit, to_char(\(Self.beijing("e.reported_at")), 'YYYY-MM') AS month,
                       e.source,
                       CASE WHEN split_part(e.category, '.', 1) IN ('DJ', 'MD', 'ZA', 'AQ', 'CG', 'HB', 'MS')
                            THEN split_part(e.category, '.', 1) END AS domain,
                       e.status IS DISTINCT FROM 'withdrawn' AS is_due,
                       e.status IN ('closed', 'visited', 'rejected') AS is_closed,
                       CASE WHEN e.status IN ('closed', 'visited', 'rejected') AND e.closed_at >= e.reported_at
                            THEN extract(epoch FROM e.closed_at - e.reported_at)::double precision / 3600 END AS hours,
                       e.is_repeat,
                       e.satisfaction IN ('very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied') AS is_rated,
                       e.satisfaction IN ('very_satisfied', 'satisfied', 'basically_satisfied') AS is_satisfied,
                       e.satisfaction = 'dissatisfied' AS is_dissatisfied
                FROM \(s).event e
                CROSS JOIN LATERAL (VALUES ('grid', e.grid_code), ('community', e.community_code),
                                           ('street', e.street_code), ('district', e.district_code)) AS u(level, unit)
                WHERE e.reported_at IS NOT NULL
            ), buckets AS (
                SELECT origin, level, unit, month, count(*) AS events,
                       count(*) FILTER (WHERE domain = 'DJ') AS category_dj, count(*) FILTER (WHERE domain = 'MD') AS category_md,
                       count(*) FILTER (WHERE domain = 'ZA') AS category_za, count(*) FILTER (WHERE domain = 'AQ') AS category_aq,
                       count(*) FILTER (WHERE domain = 'CG') AS category_cg, count(*) FILTER (WHERE domain = 'HB') AS category_hb,
                       count(*) FILTER (WHERE domain = 'MS') AS category_ms, count(*) FILTER (WHERE domain IS NULL) AS category_none,
                       count(*) FILTER (WHERE is_due) AS due, count(*) FILTER (WHERE is_closed) AS closed,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median_hours,
                       count(*) FILTER (WHERE is_repeat) AS repeats,
                       count(*) FILTER (WHERE is_rated) AS rated, count(*) FILTER (WHERE is_satisfied) AS satisfied,
                       count(*) FILTER (WHERE is_dissatisfied) AS dissatisfied
                FROM facts GROUP BY origin, level, unit, month
            ), feeds AS (
                SELECT origin, level, unit, month, jsonb_object_agg(source, events) AS events_by_feed
                FROM (SELECT origin, level, unit, month, source, count(*) AS events FROM facts
                      GROUP BY origin, level, unit, month, source) f
                GROUP BY origin, level, unit, month
            ), shares AS (
                SELECT b.*, f.events_by_feed,
                       CASE WHEN b.due > 0 THEN b.closed::double precision / b.due END AS closure_rate,
                       b.repeats::double precision / greatest(1, b.events) AS repeat_share,
                       CASE WHEN b.rated > 0 THEN b.satisfied::double precision / b.rated END AS satisfied_share,
                       CASE WHEN b.rated > 0 THEN b.dissatisfied::double precision / b.rated END AS dissatisfied_share
                FROM buckets b JOIN feeds f USING (origin, level, unit, month)
            )
            SELECT x.origin, x.level, x.unit AS unit_code, coalesce(g.name, d.name) AS unit_name, x.month, x.events,
                   x.events_by_feed,
                   x.category_dj, x.category_md, x.category_za, x.category_aq, x.category_cg, x.category_hb, x.category_ms,
                   x.category_none, x.due, x.closed, round(x.closure_rate::numeric, 4) AS closure_rate,
                   round(x.median_hours::numeric, 2) AS median_hours_to_close, round(x.repeat_share::numeric, 4) AS repeat_share,
                   x.rated, round(x.satisfied_share::numeric, 4) AS satisfied_share,
                   round(x.dissatisfied_share::numeric, 4) AS dissatisfied_share,
                   -- AssessmentThresholds' defaults (OneGridExport): at least 5 events due and 3
                   -- ratings, else 样本不足 (insufficient sample).
                   CASE WHEN x.unit IS NULL THEN NULL
                        WHEN x.due < 5 OR x.rated < 3 OR x.closure_rate IS NULL THEN '样本不足'
                        WHEN x.closure_rate < 0.80 OR x.repeat_share > 0.30 OR coalesce(x.satisfied_share < 0.70, false) THEN '黄'
                        WHEN x.closure_rate >= 0.95 AND x.repeat_share <= 0.10 AND coalesce(x.satisfied_share >= 0.90, true) THEN '红'
                        ELSE '蓝' END AS assessment
            FROM shares x
            LEFT JOIN \(s).grid g ON g.origin = x.origin AND g.code = x.unit
            LEFT JOIN \(s).division d ON d.origin = x.origin AND d.code = x.unit
            """,
            // alerts: the `alerts` export as of now, with AlertOptions' defaults (OneGridExport).
            """
            CREATE VIEW \(s).alerts AS
            WITH reports AS (
                SELECT e.origin, e.incident_id, e.source, e.reported_at,
                       row_number() OVER (PARTITION BY e.origin, e.incident_id ORDER BY e.reported_at, e.id) AS pos
                FROM \(s).event e
                WHERE e.incident_id IS NOT NULL AND e.reported_at IS NOT NULL AND e.reported_at <= now()
            ), windows AS (
                SELECT l.origin, l.incident_id, l.pos, min(f.reported_at) AS first_at, l.reported_at AS last_at,
                       count(*) AS n, count(DISTINCT f.source) AS feeds,
                       string_agg(DISTINCT f.source COLLATE "C", ',' ORDER BY f.source COLLATE "C") AS feed_list
                FROM reports l JOIN reports f ON f.origin = l.origin AND f.incident_id = l.incident_id
                     AND f.pos <= l.pos AND f.reported_at >= l.reported_at - interval '30 days'
                GROUP BY l.origin, l.incident_id, l.pos, l.reported_at
            ), repeats AS (
                SELECT DISTINCT ON (origin, incident_id) * FROM windows WHERE n >= 3 AND feeds >= 2
                ORDER BY origin, incident_id, n DESC, pos
            ), months AS (
                SELECT e.origin, e.grid_code,
                       extract(year FROM \(Self.beijing("e.reported_at")))::int * 12
                           + extract(month FROM \(Self.beijing("e.reported_at")))::int - 1 AS m,
                       count(*) AS events
                FROM \(s).event e
                WHERE e.grid_code IS NOT NULL AND e.reported_at IS NOT NULL AND e.reported_at <= now()
                GROUP BY 1, 2, 3
            ), history AS (
                -- AlertOptions.riseMinHistoryMonths: months are judged only with 3 months of
                -- history before them, counted from the first month holding any event.
                SELECT e.origin, min(extract(year FROM \(Self.beijing("e.reported_at")))::int * 12
                                     + extract(month FROM \(Self.beijing("e.reported_at")))::int - 1) AS first_m
                FROM \(s).event e
                WHERE e.reported_at IS NOT NULL AND e.reported_at <= now()
                GROUP BY e.origin
            ), rising AS (
                SELECT c.origin, c.grid_code, c.m, c.events,
                       (coalesce(p1.events, 0) + coalesce(p2.events, 0) + coalesce(p3.events, 0))::numeric / 3 AS baseline
                FROM months c
                LEFT JOIN months p1 ON p1.origin = c.origin AND p1.grid_code = c.grid_code AND p1.m = c.m - 1
                LEFT JOIN months p2 ON p2.origin = c.origin AND p2.grid_code = c.grid_code AND p2.m = c.m - 2
                LEFT JOIN months p3 ON p3.origin = c.origin AND p3.grid_code = c.grid_code AND p3.m = c.m - 3
            ), open AS (
                SELECT e.origin, e.source, e.source_key, e.grid_code, e.category, e.status,
                       coalesce((SELECT min(st.at) FROM \(s).event_step st
                                 WHERE st.origin = e.origin AND st.event_id = e.id AND st.action = '受理'), e.reported_at) AS start,
                       CASE e.source WHEN 'petition' THEN 60 WHEN 'hotline12345' THEN 15 WHEN 'patrol' THEN 7
                                     WHEN 'citymgmt' THEN 7 ELSE 30 END AS days
                FROM \(s).event e
                WHERE e.status IN (\(open)) AND e.reported_at IS NOT NULL AND e.reported_at <= now()
            )
            SELECT r.origin, 1 AS kind_order, 'repeat_incident' AS kind, '多部门重复反映' AS kind_name,
                   r.incident_id::text AS subject, i.grid_code, g.name AS grid_name, i.category AS category_code,
                   c.name AS category_name, r.first_at, r.last_at, r.n AS count, NULL::numeric AS baseline,
                   format('30天内%s次，来源%s个部门：%s', r.n, r.feeds, r.feed_list) AS detail
            FROM repeats r
            LEFT JOIN \(s).incident i ON i.origin = r.origin AND i.id = r.incident_id
            LEFT JOIN \(s).grid g ON g.origin = i.origin AND g.code = i.grid_code
            LEFT JOIN \(s).category c ON c.origin = i.origin AND c.code = i.category
            UNION ALL
            SELECT x.origin, 2, 'rising_grid', '网格事件激增', x.grid_code, x.grid_code, g.name, NULL, NULL,
                   make_timestamptz(x.m / 12, x.m % 12 + 1, 1, 0, 0, 0, '+08:00'),
                   make_timestamptz((x.m + 1) / 12, (x.m + 1) % 12 + 1, 1, 0, 0, 0, '+08:00') - interval '1 second',
                   x.events, round(x.baseline, 2),
                   format('%s-%s共%s件，前3个月月均%s件', x.m / 12, lpad((x.m % 12 + 1)::text, 2, '0'), x.events,
                          trim_scale(round(x.baseline, 2)))
            FROM rising x
            JOIN history h ON h.origin = x.origin
            LEFT JOIN \(s).grid g ON g.origin = x.origin AND g.code = x.grid_code
            WHERE x.events >= 5 AND x.events > x.baseline * 1.5 AND x.m - h.first_m >= 3
            UNION ALL
            SELECT o.origin, 3, 'overdue', '超期未办结', o.source || '/' || o.source_key, o.grid_code, g.name,
                   o.category, c.name, o.start, o.start + o.days * interval '1 day',
                   floor(extract(epoch FROM now() - (o.start + o.days * interval '1 day')) / 86400)::bigint, o.days,
                   format('%s办理时限%s天，已超期%s天，当前状态：%s', o.source, o.days,
                          floor(extract(epoch FROM now() - (o.start + o.days * interval '1 day')) / 86400)::bigint,
                          \(Self.names("o.status", EventStatus.self) { $0.chineseName }.replacingOccurrences(of: "ELSE o.status END", with: "ELSE '' END")))
            FROM open o
            LEFT JOIN \(s).grid g ON g.origin = o.origin AND g.code = o.grid_code
            LEFT JOIN \(s).category c ON c.origin = o.origin AND c.code = o.category
            WHERE o.start + o.days * interval '1 day' < now()
            """,
        ]
    }

    /// The Citus step: the event tables distributed on the event id (an event's parties and
    /// steps on the same worker as the event), everything else a reference table on every
    /// worker. Run only when asked (`--citus`) and only where the extension is installed.
    var citus: [(table: String, sql: String)] {
        let distributed = ["event", "event_party", "event_step"]
        var sql = [
            ("event", "SELECT create_distributed_table('\(qualified("event"))', 'id')"),
            ("event_party", "SELECT create_distributed_table('\(qualified("event_party"))', 'event_id', colocate_with => '\(qualified("event"))')"),
            ("event_step", "SELECT create_distributed_table('\(qualified("event_step"))', 'event_id', colocate_with => '\(qualified("event"))')"),
        ]
        for table in ChangeFeed.tables where !distributed.contains(table.name) {
            sql.append((table.name, "SELECT create_reference_table('\(qualified(table.name))')"))
        }
        return sql
    }
}
