import Foundation

/// Where a publish goes: a PostgreSQL-compatible server, database and schema, who connects
/// and how (TLS mode), parsed from `postgresql://USER@HOST:PORT/DB?sslmode=…`. The password
/// never comes from the URL: it comes from `PasswordSource` (PGPASSWORD, a password file,
/// ~/.pgpass), so it is never on a command line nor in a log.
public struct PublishTarget: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected, as libpq's `sslmode` (the three modes that say
    /// exactly what they guarantee).
    public enum SSLMode: String, Sendable, Equatable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS required, the server's certificate not checked (encryption, no authentication).
        case require
        /// TLS required, the certificate checked against a root certificate (`rootCertificate`)
        /// and the host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    /// A directory holding the server's Unix socket (`?host=/path`, as libpq); nil for TCP.
    public var socketDirectory: String?
    public var user: String
    public var database: String
    public var schema: String
    public var sslMode: SSLMode
    /// `?sslrootcert=`: a PEM file of the certificates `verify-full` trusts, or `system` for
    /// the system's trust roots; nil to look where libpq looks (`rootCertificate(in:)`).
    public var sslRootCert: String?

    public init(host: String, port: Int = 5432, socketDirectory: String? = nil, user: String, database: String,
                schema: String = "onegrid", sslMode: SSLMode = .disable, sslRootCert: String? = nil) {
        self.host = host
        self.port = port
        self.socketDirectory = socketDirectory
        self.user = user
        self.database = database
        self.schema = schema
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
    }

    /// Where `verify-full` finds the certificates it trusts, in libpq's order: `sslrootcert`
    /// in the URL, then `PGSSLROOTCERT`, then `~/.postgresql/root.crt` when it exists; nil
    /// (the value `system` too) for the system's trust roots, where libpq would refuse.
    public func rootCertificate(in source: PasswordSource) -> String? {
        let named = sslRootCert ?? source.environment["PGSSLROOTCERT"].flatMap { $0.isEmpty ? nil : $0 }
        if let named { return named == "system" ? nil : named }
        let home = "\(source.home)/.postgresql/root.crt"
        return FileManager.default.fileExists(atPath: home) ? home : nil
    }

    /// The URL without any secret, for messages and logs.
    public var description: String {
        let place = socketDirectory.map { "\(host)/\(database)?host=\($0)" } ?? "\(host):\(port)/\(database)"
        return "postgresql://\(user)@\(place) schema \(schema) sslmode \(sslMode.rawValue)"
    }

    /// The socket file of a Unix-socket target (`.s.PGSQL.<port>` in the directory).
    public var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// Parses `postgresql://USER@HOST[:PORT]/DB[?sslmode=…&sslrootcert=…&host=/socket/dir]`
    /// (`postgres://` too). A password in the URL is refused: it would sit in shell history and `ps`.
    public static func parse(_ text: String, schema: String = "onegrid") throws -> PublishTarget {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, scheme == "postgresql" || scheme == "postgres" else {
            throw PublishError.badTarget(url: redacted(text), reason: "expected postgresql://USER@HOST:PORT/DATABASE")
        }
        if components.password != nil {
            throw PublishError.badTarget(url: redacted(text),
                                         reason: "a password in the URL is refused (it would show in `ps` and shell history); use PGPASSWORD, ~/.pgpass or `publish.password_file`")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PublishError.badTarget(url: redacted(text), reason: "no user (postgresql://USER@HOST/DATABASE)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw PublishError.badTarget(url: redacted(text), reason: "no database (postgresql://USER@HOST/DATABASE)")
        }
        var target = PublishTarget(host: components.host ?? "", port: components.port ?? 5432, user: user,
                                   database: database, schema: schema)
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw PublishError.badTarget(url: redacted(text), reason: "sslmode must be disable, require or verify-full")
                }
                target.sslMode = mode
            case "sslrootcert":
                guard let file = item.value, !file.isEmpty else {
                    throw PublishError.badTarget(url: redacted(text), reason: "sslrootcert= takes a PEM file or `system`")
                }
                target.sslRootCert = file
            case "host":
                guard let dir = item.value, dir.hasPrefix("/") else {
                    throw PublishError.badTarget(url: redacted(text), reason: "host= takes a socket directory (an absolute path)")
                }
                target.socketDirectory = dir
            default:
                throw PublishError.badTarget(url: redacted(text), reason: "unknown parameter '\(item.name)' (sslmode, sslrootcert and host are known)")
            }
        }
        if target.host.isEmpty && target.socketDirectory == nil {
            throw PublishError.badTarget(url: redacted(text), reason: "no host")
        }
        if target.host.isEmpty { target.host = "localhost" }
        guard isIdentifier(schema) else {
            throw PublishError.badTarget(url: redacted(text), reason: "schema '\(schema)' must be a plain identifier (letters, digits, _)")
        }
        return target
    }

    /// A plain SQL identifier: lower-case letters, digits and `_`, not starting with a digit.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first), name.utf8.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `text` with anything between `://` and `@` after a colon replaced, for messages.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text.range(of: "@", range: scheme.upperBound..<text.endIndex),
              let colon = text.range(of: ":", range: scheme.upperBound..<at.lowerBound) else { return text }
        return text.replacingCharacters(in: colon.upperBound..<at.lowerBound, with: "***")
    }
}

/// Where the password comes from, in libpq's order: `PGPASSWORD`, then a password file named
/// in the configuration (`publish.password_file`), then `PGPASSFILE` or `~/.pgpass`.
public struct PasswordSource: Sendable {
    public var environment: [String: String]
    public var passwordFile: String?
    public var home: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, passwordFile: String? = nil,
                home: String = NSHomeDirectory()) {
        self.environment = environment
        self.passwordFile = passwordFile
        self.home = home
    }

    /// The password for `target`, or nil to try without one (trust or peer authentication).
    public func password(for target: PublishTarget) throws -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw PublishError.passwordFileUnreadable(path: passwordFile)
            }
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return line
        }
        let pgpass = environment["PGPASSFILE"] ?? "\(home)/.pgpass"
        guard let text = try? String(contentsOfFile: pgpass, encoding: .utf8) else { return nil }
        return Self.match(text, target: target)
    }

    /// The password of the first `host:port:database:user:password` line matching `target`
    /// (`*` matches anything; `\:` and `\\` escape), as libpq reads ~/.pgpass. A socket target
    /// matches host `localhost`.
    public static func match(_ text: String, target: PublishTarget) -> String? {
        let host = target.socketDirectory == nil ? target.host : "localhost"
        let wanted = [host, String(target.port), target.database, target.user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaping = false
            for c in line {
                if escaping { fields[fields.count - 1].append(c); escaping = false }
                else if c == "\\" { escaping = true }
                else if c == ":" && fields.count < 5 { fields.append("") }
                else { fields[fields.count - 1].append(c) }
            }
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}
