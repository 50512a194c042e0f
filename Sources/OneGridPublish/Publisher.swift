import Foundation
import Logging
import OneGridWarehouse
import PostgresNIO

/// What one publish is asked to do.
public struct PublishOptions: Sendable {
    public var target: PublishTarget
    /// The origin the rows are published under; nil for the warehouse's own id.
    public var origin: String?
    /// Changed entities per batch (one target transaction each).
    public var batchSize: Int
    /// Create the fact tables as Citus distributed tables (`CentralSchema.citus`).
    public var citus: Bool
    public var passwords: PasswordSource

    /// Changed entities per batch unless told otherwise. Measured (debug build, 200 k events,
    /// docs/publish.md): 20 000 → 143 MB peak, 10 000 → 105 MB in the same time, 5 000 → 87 MB
    /// and 15 % slower.
    public static let defaultBatchSize = 10_000

    public init(target: PublishTarget, origin: String? = nil, batchSize: Int = PublishOptions.defaultBatchSize, citus: Bool = false,
                passwords: PasswordSource = PasswordSource()) {
        self.target = target
        self.origin = origin
        self.batchSize = batchSize
        self.citus = citus
        self.passwords = passwords
    }
}

/// What a publish did (also handed out after each batch, as progress).
public struct PublishReport: Sendable, Equatable {
    public var origin: String
    public var target: String
    /// The target's watermark for this origin before and after the publish.
    public var from: Int64
    public var through: Int64
    public var batches = 0
    /// Changed entities sent.
    public var changes = 0
    /// Rows sent per table, for the tables that had any.
    public var rows: [String: Int] = [:]
    public var seconds = 0.0

    public var totalRows: Int { rows.values.reduce(0, +) }

    /// One line for the console: `origin X → target: N changes, M rows in B batches (watermark a → b)`.
    public var summary: String {
        let tables = rows.keys.sorted().map { "\($0) \(rows[$0]!)" }.joined(separator: ", ")
        let rate = seconds > 0 ? String(format: ", %.0f rows/s", Double(totalRows) / seconds) : ""
        return "origin \(origin) → \(target): \(changes) changes, \(totalRows) rows in \(batches) batches"
            + (tables.isEmpty ? "" : " (\(tables))") + ", watermark \(from) → \(through)"
            + String(format: ", %.2f s", seconds) + rate
    }
}

/// Sends a warehouse's committed changes after the target's watermark to a central
/// PostgreSQL-compatible database, batch by batch: each batch is COPYed into temporary
/// staging tables, merged with `INSERT … ON CONFLICT` (and the rows the batch's entities no
/// longer have deleted), and the watermark moved, in one transaction. A publish killed at
/// any point leaves the last committed batch as the watermark; the next one resumes there.
public struct Publisher: Sendable {
    public let warehouse: Warehouse

    public init(warehouse: Warehouse) {
        self.warehouse = warehouse
    }

    static let logger = Logger(label: "onegrid.publish", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Publishes every change after the target's watermark; `progress` gets the report after
    /// each committed batch.
    public func publish(_ options: PublishOptions,
                        progress: @Sendable (PublishReport) -> Void = { _ in }) async throws -> PublishReport {
        let started = Date()
        let origin = try options.origin ?? warehouse.originID()
        let target = options.target
        let connection = try await Self.connect(target, password: options.passwords.password(for: target),
                                                rootCertificate: target.rootCertificate(in: options.passwords))
        defer { Task { try? await connection.close() } }
        let session = CentralSession(connection: connection, schema: CentralSchema(name: target.schema), target: target)
        try await session.prepare(citus: options.citus)
        let watermark = try await session.watermark(origin: origin)
        let local = try warehouse.lastChange()
        guard watermark <= local else {
            throw PublishError.watermarkAhead(origin: origin, published: watermark, local: local)
        }
        var report = PublishReport(origin: origin, target: target.description, from: watermark, through: watermark)
        // The next batch is read from SQLite while the server merges the current one.
        let warehouse = warehouse
        let limit = options.batchSize
        func read(after: Int64) -> Task<ChangeBatch?, any Error> {
            Task.detached { try warehouse.changes(after: after, limit: limit, origin: origin) }
        }
        var next = read(after: watermark)
        defer { next.cancel() }
        while let batch = try await next.value {
            next = read(after: batch.through)
            try await session.send(batch, origin: origin)
            report.batches += 1
            report.changes += batch.changedCount
            for rows in batch.tables where rows.count > 0 { report.rows[rows.table.name, default: 0] += rows.count }
            report.through = batch.through
            report.seconds = Date().timeIntervalSince(started)
            progress(report)
        }
        report.seconds = Date().timeIntervalSince(started)
        try await connection.close()
        return report
    }

    /// Opens a connection as `target` says, its failures turned into `PublishError`s that
    /// say which of address, credentials or TLS failed. `rootCertificate` is the PEM file
    /// `verify-full` trusts (nil: the system's trust roots).
    static func connect(_ target: PublishTarget, password: String?, rootCertificate: String? = nil) async throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let socket = target.socketPath {
            // As libpq: a Unix socket is local, TLS is not used on it whatever sslmode says.
            configuration = .init(unixSocketPath: socket, username: target.user, password: password, database: target.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch target.sslMode {
            case .disable:
                tls = .disable
            case .require:
                var c = TLSConfiguration.makeClientConfiguration()
                c.certificateVerification = .none
                tls = .require(try NIOSSLContext(configuration: c))
            case .verifyFull:
                var c = TLSConfiguration.makeClientConfiguration()
                c.certificateVerification = .fullVerification
                if let rootCertificate {
                    do {
                        c.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificate))
                    } catch {
                        throw PublishError.tls(target: target.description,
                                               message: "the root certificate \(rootCertificate) cannot be read as PEM (\(error))")
                    }
                }
                tls = .require(try NIOSSLContext(configuration: c))
            }
            configuration = .init(host: target.host, port: target.port, username: target.user, password: password,
                                  database: target.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(15)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch let error as PSQLError {
            throw classify(error, target: target, rootCertificate: rootCertificate)
        }
    }

    static func classify(_ error: PSQLError, target: PublishTarget, rootCertificate: String? = nil) -> PublishError {
        let where_ = target.description
        if let tls = tlsFailure(error.underlying, target: target, rootCertificate: rootCertificate) {
            return .tls(target: where_, message: tls)
        }
        switch error.code {
        case .sslUnsupported:
            return .tls(target: where_, message: "the server does not offer TLS (sslmode=\(target.sslMode.rawValue) requires it)")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return .tls(target: where_, message: error.underlying.map { "\($0)" } ?? "\(error.code)")
        case .authMechanismRequiresPassword:
            return .authentication(target: where_, user: target.user, message: "the server asks for a password and none was found")
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "refused"
            if state.hasPrefix("28") { return .authentication(target: where_, user: target.user, message: message) }
            return .unreachable(target: where_, message: "\(message) (SQLSTATE \(state))")
        default:
            if let underlying = error.underlying {
                let text = "\(underlying)"
                if text.contains("SSL") || text.contains("TLS") || text.contains("certificate") {
                    return .tls(target: where_, message: text)
                }
                return .unreachable(target: where_, message: text)
            }
            return .unreachable(target: where_, message: "\(error.code)")
        }
    }

    /// What a failed certificate check means, in words: the certificate does not name the
    /// host, or no trusted root signed it (saying which roots were trusted).
    static func tlsFailure(_ underlying: (any Error)?, target: PublishTarget, rootCertificate: String?) -> String? {
        guard let underlying else { return nil }
        if let extra = underlying as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "the server's certificate does not name \(target.host) (sslmode=verify-full checks the host name)"
        }
        let text = "\(underlying)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            let roots = rootCertificate.map { "the root certificate \($0)" } ?? "the system's trust roots"
            return "the server's certificate is not signed by \(roots) (sslrootcert in the URL, PGSSLROOTCERT or ~/.postgresql/root.crt name the root)"
        }
        return nil
    }
}

/// One connection's work on the central schema: migrating it, staging and merging batches.
struct CentralSession: Sendable {
    let connection: PostgresConnection
    let schema: CentralSchema
    let target: PublishTarget

    var logger: Logger { Publisher.logger }

    /// Runs `sql`; a server error becomes `PublishError.server` naming `step` and `table`.
    @discardableResult
    func run(_ sql: String, binds: PostgresBindings = PostgresBindings(), step: String,
             table: String? = nil) async throws -> PostgresRowSequence {
        do {
            return try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        } catch let error as PSQLError {
            throw Self.serverError(error, step: step, table: table, target: target)
        }
    }

    static func serverError(_ error: PSQLError, step: String, table: String?, target: PublishTarget) -> PublishError {
        guard let info = error.serverInfo else { return Publisher.classify(error, target: target) }
        var message = info[.message] ?? "error"
        if let detail = info[.detail] { message += " — \(detail)" }
        if let context = info[.locationContext] { message += " (\(context))" }
        if let state = info[.sqlState] { message += " [SQLSTATE \(state)]" }
        return .server(step: step, table: table, message: message)
    }

    func transaction<T>(_ body: () async throws -> T) async throws -> T {
        try await run("BEGIN", step: "begin")
        do {
            let value = try await body()
            try await run("COMMIT", step: "commit")
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Brings the schema to `CentralSchema.version` (refusing a newer one), applies the Citus
    /// step when asked, and creates this connection's staging tables.
    func prepare(citus: Bool) async throws {
        let s = schema.name
        try await transaction {
            var binds = PostgresBindings()
            binds.append("onegrid schema \(s)")
            try await run("SELECT pg_advisory_xact_lock(hashtext($1))", binds: binds, step: "lock schema")
            var found = 0
            var exists = PostgresBindings()
            exists.append("\(s).onegrid_schema")
            for try await (present) in try await run("SELECT to_regclass($1) IS NOT NULL", binds: exists, step: "read schema version")
                .decode(Bool.self) where present {
                for try await version in try await run("SELECT coalesce(max(version), 0) FROM \(s).onegrid_schema",
                                                       step: "read schema version").decode(Int.self) {
                    found = version
                }
            }
            guard found <= CentralSchema.version else {
                throw PublishError.schemaNewer(schema: s, found: found, supported: CentralSchema.version)
            }
            guard found < CentralSchema.version else { return }
            for version in (found + 1)...CentralSchema.version {
                for statement in schema.migrations[version] ?? [] {
                    try await run(statement, step: "migrate schema \(s) to version \(version)")
                }
            }
            if found == 0 {
                try await run("INSERT INTO \(s).onegrid_schema (version) VALUES (\(CentralSchema.version))", step: "record schema version")
            } else {
                try await run("UPDATE \(s).onegrid_schema SET version = \(CentralSchema.version), migrated_at = now()",
                              step: "record schema version")
            }
        }
        if citus { try await distribute() }
        for table in ChangeFeed.tables {
            try await run("CREATE TEMP TABLE IF NOT EXISTS stage_\(table.name) (LIKE \(s).\(table.name)) ON COMMIT DELETE ROWS",
                          step: "create staging table", table: table.name)
        }
        try await run("CREATE TEMP TABLE IF NOT EXISTS stage_changed (entity text NOT NULL, key text NOT NULL) ON COMMIT DELETE ROWS",
                      step: "create staging table", table: "stage_changed")
        // COPY names one unqualified table (postgres-nio quotes it whole): the schema's
        // tables are found through the search path, the staging tables in pg_temp first.
        try await run("SET search_path TO \(s)", step: "set search path")
    }

    /// The Citus step for the tables not yet distributed, behind the extension's presence.
    func distribute() async throws {
        var present = false
        for try await count in try await run("SELECT count(*) FROM pg_extension WHERE extname = 'citus'", step: "look for citus")
            .decode(Int.self) { present = count > 0 }
        guard present else { throw PublishError.citusMissing(database: target.database) }
        var done: Set<String> = []
        for try await name in try await run("SELECT logicalrelid::regclass::text FROM pg_dist_partition", step: "read citus tables")
            .decode(String.self) { done.insert(name) }
        for (table, statement) in schema.citus where !done.contains(schema.qualified(table)) {
            try await run(statement, step: "citus", table: table)
        }
    }

    /// The watermark of `origin` (0 before its first publish).
    func watermark(origin: String) async throws -> Int64 {
        var binds = PostgresBindings()
        binds.append(origin)
        var seq: Int64 = 0
        for try await value in try await run("SELECT seq FROM \(schema.name).publish_watermark WHERE origin = $1", binds: binds,
                                             step: "read watermark").decode(Int64.self) {
            seq = value
        }
        return seq
    }

    /// One batch in one transaction: stage by COPY, merge, move the watermark.
    func send(_ batch: ChangeBatch, origin: String) async throws {
        let s = schema.name
        try await transaction {
            var lock = PostgresBindings()
            lock.append("onegrid publish \(s) \(origin)")
            try await run("SELECT pg_advisory_xact_lock(hashtext($1))", binds: lock, step: "lock origin")
            let current = try await watermark(origin: origin)
            guard current == batch.after else {
                throw PublishError.concurrentPublish(origin: origin, expected: batch.after, found: current)
            }
            try await copy(batch.changedKeys, into: "stage_changed", columns: ["entity", "key"])
            var originBind = PostgresBindings()
            originBind.append(origin)
            let occupied = try await tablesHoldingKeys(in: batch, originBind: originBind)
            for rows in batch.tables {
                let t = rows.table
                let names = ["origin"] + t.columns.map(\.name)
                guard occupied.contains(t.name) else {
                    // No row of this origin lies in the key range of the batch's entities:
                    // nothing to replace or delete, so the rows go straight into the table.
                    try await copy(rows.lines, into: t.name, columns: names)
                    continue
                }
                try await copy(rows.lines, into: "stage_\(t.name)", columns: names)
                let keyMatch = t.primaryKey.map { "s.\($0) = t.\($0)" }.joined(separator: " AND ")
                let scopeMatch = t.scopeKind == .integer ? "t.\(t.scope) = c.key::bigint" : "t.\(t.scope) = c.key"
                try await run("""
                    DELETE FROM \(s).\(t.name) AS t USING stage_changed c
                    WHERE c.entity = '\(t.entity)' AND t.origin = $1 AND \(scopeMatch)
                      AND NOT EXISTS (SELECT 1 FROM stage_\(t.name) s WHERE \(keyMatch))
                    """, binds: originBind, step: "delete rows gone", table: t.name)
                guard rows.count > 0 else { continue }
                let values = t.columns.map(\.name).filter { !t.primaryKey.contains($0) }
                try await run("""
                    INSERT INTO \(s).\(t.name) AS t (\(names.joined(separator: ", ")))
                    SELECT \(names.joined(separator: ", ")) FROM stage_\(t.name)
                    ON CONFLICT (origin, \(t.primaryKey.joined(separator: ", "))) DO UPDATE
                    SET \(values.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", "))
                    WHERE (\(values.map { "t.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(values.map { "EXCLUDED.\($0)" }.joined(separator: ", ")))
                    """, step: "merge", table: t.name)
            }
            var mark = PostgresBindings()
            mark.append(origin)
            mark.append(batch.through)
            mark.append(Int64(batch.tables.reduce(0) { $0 + $1.count }))
            try await run("""
                INSERT INTO \(s).publish_watermark AS w (origin, seq, published_at, batches, rows) VALUES ($1, $2, now(), 1, $3)
                ON CONFLICT (origin) DO UPDATE SET seq = EXCLUDED.seq, published_at = now(), batches = w.batches + 1,
                    rows = w.rows + EXCLUDED.rows
                """, binds: mark, step: "move watermark")
        }
    }

    /// The tables holding a row of `origin` whose scope key lies between the least and the
    /// greatest key of the batch's changed entities (in the server's own ordering, so its
    /// index answers with one probe per table). A table outside this set holds none of the
    /// batch's entities: its rows need no merge and no deletion, only a COPY. A first
    /// publish (and a resumed one: its rolled-back batch left nothing) takes that path for
    /// every batch whose keys lie beyond those already published; any overlap falls back to
    /// the staged merge, which is right whatever the target holds.
    func tablesHoldingKeys(in batch: ChangeBatch, originBind: PostgresBindings) async throws -> Set<String> {
        let s = schema.name
        // Every table, those without rows in the batch too: an entity deleted here must be
        // found there to be deleted.
        let integerEntities = Set(batch.tables.map(\.table).filter { $0.scopeKind == .integer }.map(\.entity))
        let numeric = "CASE WHEN entity IN (\(integerEntities.sorted().map { "'\($0)'" }.joined(separator: ", "))) THEN key::bigint END"
        let probes = batch.tables.map(\.table).map { t in
            let (lo, hi) = t.scopeKind == .integer ? ("r.nlo", "r.nhi") : ("r.lo", "r.hi")
            return """
                SELECT '\(t.name)' FROM r WHERE r.entity = '\(t.entity)' AND EXISTS (
                    SELECT 1 FROM \(s).\(t.name) t WHERE t.origin = $1 AND t.\(t.scope) BETWEEN \(lo) AND \(hi))
                """
        }
        var occupied: Set<String> = []
        let sql = """
            WITH r AS MATERIALIZED (
                SELECT entity, min(key) AS lo, max(key) AS hi, min(\(numeric)) AS nlo, max(\(numeric)) AS nhi
                FROM stage_changed GROUP BY entity)
            \(probes.joined(separator: "\nUNION ALL\n"))
            """
        for try await name in try await run(sql, binds: originBind, step: "look for published rows").decode(String.self) {
            occupied.insert(name)
        }
        return occupied
    }

    /// Streams `lines` (text COPY rows) into `table`, in slices (COPY does not care where a
    /// message ends within a row).
    func copy(_ lines: [UInt8], into table: String, columns: [String]) async throws {
        guard !lines.isEmpty else { return }
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                let slice = 1 << 20
                var start = 0
                while start < lines.count {
                    let end = min(lines.count, start + slice)
                    try await writer.write(ByteBuffer(bytes: lines[start..<end]))
                    start = end
                }
            }
        } catch let error as PSQLError {
            throw Self.serverError(error, step: "copy", table: table, target: target)
        }
    }
}

extension Publisher {
    /// `publish` for synchronous callers (the command line): runs it on the concurrency
    /// pool and waits. PostgresNIO's event loops do the I/O, so the waiting thread holds
    /// nothing they need.
    public func publishWaiting(_ options: PublishOptions,
                               progress: @escaping @Sendable (PublishReport) -> Void = { _ in }) throws -> PublishReport {
        let outcome = OutcomeBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { outcome.set(.success(try await publish(options, progress: progress))) } catch { outcome.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try outcome.get()
    }
}

/// The result of a task handed from the pool to a waiting thread.
private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Result<PublishReport, any Error>?

    func set(_ value: Result<PublishReport, any Error>) { lock.withLock { outcome = value } }
    func get() throws -> PublishReport { try lock.withLock { outcome! }.get() }
}
