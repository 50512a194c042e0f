import Foundation
import OneGridExport
import OneGridPublish
import OneGridWarehouse
import Testing

/// The central views give the figures `onegrid export` gives on the same warehouse: each
/// export row has its view row, cell by cell (numbers compared as numbers, times in Beijing
/// wall clock, booleans as the exports' 1/0).
@Suite(.enabled(if: TestServer.enabled, TestServer.skipMessage))
struct ViewsMatchExportsTests {
    /// One published sample warehouse for every view.
    static let published: Task<(Warehouse, PublishTarget, String), any Error> = Task {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        let report = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))
        return (warehouse, target, report.origin)
    }

    /// The text of a view column as the CSV export writes it, by its SQL type.
    static func cell(_ column: String, type: String) -> String {
        switch type {
        case "timestamp with time zone": return "to_char(\(column) AT TIME ZONE INTERVAL '+08:00', 'YYYY-MM-DD HH24:MI:SS')"
        case "boolean": return "(\(column))::int::text"
        default: return "(\(column))::text"
        }
    }

    /// Numbers as numbers (`12` = `12.00`), the rest as they are; NULL as the empty text the export writes.
    static func normalized(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        if text.first.map({ $0.isNumber || $0 == "-" }) == true, !text.contains(where: { $0.isLetter }), let d = Double(text),
           text.count < 15 {
            return String(format: "%.6f", d)
        }
        return text
    }

    /// The export's rows and the view's rows (export columns, in export order), normalized and sorted.
    func compare(_ table: ExportTable, view: String, options: ExportOptions = ExportOptions(), where condition: String = "true",
                 columnSQL: [String: String] = [:]) async throws {
        let (warehouse, target, origin) = try await Self.published.value
        let exported = try Exporter(warehouse: warehouse).rows(table: table, options: {
            var o = options
            o.headers = .en
            return o
        }())
        let types = Dictionary(uniqueKeysWithValues: try await TestServer.rows("""
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = '\(target.schema)' AND table_name = '\(view)'
            """, on: target).map { ($0[0]!, $0[1]!) })
        let select = exported.headers.map { header in
            columnSQL[header] ?? Self.cell(header, type: types[header] ?? "text")
        }.joined(separator: ", ")
        let central = try await TestServer.rows("""
            SELECT \(select) FROM \(target.schema).\(view) WHERE origin = '\(origin)' AND \(condition)
            """, on: target)
        let left = exported.rows.map { $0.map { Self.normalized($0.plainText) } }.sorted { $0.lexicographicallyPrecedes($1) }
        let right = central.map { $0.map(Self.normalized) }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(left.count > 0)
        #expect(left.count == right.count)
        for (l, r) in zip(left, right) where l != r {
            let differing = exported.headers.indices.filter { l[$0] != r[$0] }.map { "\(exported.headers[$0]): export '\(l[$0])', view '\(r[$0])'" }
            Issue.record("\(view) row differs: \(differing.joined(separator: "; "))")
        }
    }

    @Test func eventsWideMatchesTheEventsExport() async throws {
        try await compare(.events, view: "events_wide")
    }

    @Test func incidentsMatchTheIncidentsExport() async throws {
        try await compare(.incidents, view: "incidents")
    }

    @Test(arguments: [AggregationLevel.grid, .district])
    func gridMonthlyMatchesTheGridMonthlyExport(level: AggregationLevel) async throws {
        let (warehouse, _, _) = try await Self.published.value
        let feeds = try warehouse.readTables { try $0.feeds() }
        var perFeed: [String: String] = [:]
        for feed in feeds { perFeed["events_\(feed)"] = "coalesce((events_by_feed ->> '\(feed)')::int, 0)::text" }
        var options = ExportOptions()
        options.level = level
        try await compare(.gridMonthly, view: "grid_monthly", options: options, where: "level = '\(level.rawValue)'", columnSQL: perFeed)
    }

    @Test func alertsMatchTheAlertsExportAsOfNow() async throws {
        try await compare(.alerts, view: "alerts")
    }
}
