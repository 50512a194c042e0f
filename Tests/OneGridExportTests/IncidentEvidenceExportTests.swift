import GRDB
import OneGridExport
import OneGridWarehouse
import Testing

/// `export incidents` says why an incident's events were joined, so an analyst can audit it.
@Suite struct IncidentEvidenceExportTests {
    @Test func theIncidentRowSumsUpItsLinks() throws {
        let warehouse = try Sample.warehouse()
        // Sample incident 1: NJ-001 founded it; NJ-002 and XF-001 joined on evidence.
        try warehouse.write { db in
            try db.execute(sql: """
                UPDATE event SET incident_rule = 'explicit_repeat', incident_score = 1 WHERE source_key = 'NJ-002';
                UPDATE event SET incident_rule = 'near_in_time', incident_score = 0.61234, incident_category = 'coarser'
                    WHERE source_key = 'XF-001';
                """)
        }
        let rows = plain(try Exporter(warehouse: warehouse).rows(table: .incidents, options: options()).rows)
        #expect(rows.map { Array($0.suffix(3)) } == [["explicit_repeat×1,near_in_time×1", "0.6123", "coarser"]])
    }

    @Test func anIncidentOfOneReportHasNoEvidence() throws {
        let rows = plain(try Exporter(warehouse: try Sample.warehouse()).rows(table: .incidents, options: options()).rows)
        #expect(rows.map { Array($0.suffix(3)) } == [["", "", ""]])
    }
}
