import Foundation
@testable import OneGridPublish
import OneGridWarehouse
import PostgresNIO
import Testing

/// The `--citus` statements: the ones docs/publish.md shows, and valid against the real
/// central schema. Citus is not packaged here, so the server test runs them against
/// stand-ins of Citus's two functions that check their arguments and record the call.
struct CitusDDLTests {
    static let schema = CentralSchema(name: "onegrid")

    /// The statements of the `sql` block under `## Citus` in docs/publish.md, comments dropped.
    static func documentedStatements() throws -> [String] {
        let text = try String(contentsOfFile: repositoryRoot + "/docs/publish.md", encoding: .utf8)
        guard let section = text.range(of: "\n## Citus\n"), let open = text.range(of: "```sql\n", range: section.upperBound..<text.endIndex),
              let close = text.range(of: "```", range: open.upperBound..<text.endIndex) else {
            Issue.record("docs/publish.md has no ```sql block under ## Citus")
            return []
        }
        return text[open.upperBound..<close.lowerBound].split(separator: "\n")
            .map { line in String(line.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false)[0]).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    @Test func theDocumentedStatementsAreTheOnesPublishRuns() throws {
        #expect(try Self.documentedStatements() == Self.schema.citus.map { $0.sql + ";" })
    }

    @Test func everyPublishedTableIsDistributedOrAReferenceTableOnce() {
        #expect(Self.schema.citus.map(\.table).sorted() == ChangeFeed.tables.map(\.name).sorted())
    }

    @Test(.enabled(if: TestServer.enabled, TestServer.skipMessage))
    func theStatementsNameRealTablesAndColumnsOfTheCentralSchema() async throws {
        let target = try TestServer.target()
        let (warehouse, _) = try SampleWarehouse.copy()
        _ = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))
        let stubs = TestServer.freshSchema()
        let connection = try await TestServer.connect(target)
        defer { Task { try? await connection.close() } }
        func run(_ sql: String) async throws {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Publisher.testLogger).collect()
        }
        // Citus's signatures (citus 12): a missing table fails the regclass cast, a missing
        // column the check, a wrong argument name the call itself.
        try await run("CREATE SCHEMA \(stubs)")
        try await run("CREATE TABLE \(stubs).calls (n serial, tbl text, kind text, col text, colocate text)")
        try await run("""
            CREATE FUNCTION \(stubs).create_distributed_table(table_name regclass, distribution_column text,
                distribution_type text DEFAULT 'hash', colocate_with text DEFAULT 'default') RETURNS void
            LANGUAGE plpgsql AS $$ BEGIN
                PERFORM 1 FROM pg_attribute WHERE attrelid = table_name AND attname = distribution_column AND NOT attisdropped;
                IF NOT FOUND THEN RAISE EXCEPTION 'no column % in %', distribution_column, table_name; END IF;
                IF colocate_with <> 'default' THEN PERFORM colocate_with::regclass; END IF;
                INSERT INTO \(stubs).calls (tbl, kind, col, colocate) VALUES (table_name::text, 'distributed', distribution_column, colocate_with);
            END $$
            """)
        try await run("""
            CREATE FUNCTION \(stubs).create_reference_table(table_name regclass) RETURNS void
            LANGUAGE plpgsql AS $$ BEGIN
                INSERT INTO \(stubs).calls (tbl, kind) VALUES (table_name::text, 'reference');
            END $$
            """)
        try await run("SET search_path TO \(stubs)")
        for (_, statement) in CentralSchema(name: target.schema).citus { try await run(statement) }
        try await connection.close()

        let s = target.schema
        let calls = try await TestServer.rows("SELECT tbl, kind, col, colocate FROM \(stubs).calls ORDER BY n", on: target)
        let references = ChangeFeed.tables.map(\.name).filter { !["event", "event_party", "event_step"].contains($0) }
        #expect(calls == [["\(s).event", "distributed", "id", "default"],
                          ["\(s).event_party", "distributed", "event_id", "\(s).event"],
                          ["\(s).event_step", "distributed", "event_id", "\(s).event"]]
                    + references.map { ["\(s).\($0)", "reference", nil, nil] })
    }
}
