/// Why a publish stopped. Each case names the target (without any secret) and, for a server
/// error, the step and table it happened in; a batch that failed was rolled back whole, so
/// the next publish resumes after the last committed one.
public enum PublishError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `--to` URL cannot be used.
    case badTarget(url: String, reason: String)
    /// The configured password file cannot be read.
    case passwordFileUnreadable(path: String)
    /// No connection: the server is not there, refused, or the network failed.
    case unreachable(target: String, message: String)
    /// The server refused the user's credentials.
    case authentication(target: String, user: String, message: String)
    /// `sslmode=require` or `verify-full` and the server does not offer TLS, or its certificate failed.
    case tls(target: String, message: String)
    /// The central schema is newer than this OneGrid knows.
    case schemaNewer(schema: String, found: Int, supported: Int)
    /// `--citus` was asked and the database has no citus extension.
    case citusMissing(database: String)
    /// The target has published further than this warehouse's change log reaches (another
    /// warehouse publishing under the same origin, or a warehouse restored from an old copy).
    case watermarkAhead(origin: String, published: Int64, local: Int64)
    /// Another publish of the same origin committed in between.
    case concurrentPublish(origin: String, expected: Int64, found: Int64)
    /// The server rejected a statement.
    case server(step: String, table: String?, message: String)

    public var description: String {
        switch self {
        case .badTarget(let url, let reason):
            return "publish target \(url): \(reason)"
        case .passwordFileUnreadable(let path):
            return "\(path): the password file cannot be read"
        case .unreachable(let target, let message):
            return "\(target): cannot connect: \(message)"
        case .authentication(let target, let user, let message):
            return "\(target): the server refused user '\(user)': \(message) (password from PGPASSWORD, the configured password file or ~/.pgpass)"
        case .tls(let target, let message):
            return "\(target): TLS failed: \(message)"
        case .schemaNewer(let schema, let found, let supported):
            return "schema \(schema) is at version \(found); this OneGrid knows versions up to \(supported): upgrade OneGrid to publish here"
        case .citusMissing(let database):
            return "--citus: database \(database) has no citus extension (CREATE EXTENSION citus, or publish without --citus)"
        case .watermarkAhead(let origin, let published, let local):
            return "origin \(origin) has published up to change \(published) but this warehouse's log ends at \(local): another warehouse publishes as \(origin), or this one was restored; use another --origin"
        case .concurrentPublish(let origin, let expected, let found):
            return "origin \(origin): another publish moved the watermark from \(expected) to \(found); run again"
        case .server(let step, let table, let message):
            return "\(step)\(table.map { " (\($0))" } ?? ""): \(message)"
        }
    }
}
