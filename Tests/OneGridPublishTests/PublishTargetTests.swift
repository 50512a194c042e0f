import OneGridPublish
import Testing

/// The `--to` URL and where the password comes from (no server needed).
struct PublishTargetTests {
    @Test func aURLGivesHostPortDatabaseUserAndTLSMode() throws {
        let target = try PublishTarget.parse("postgresql://publisher@db.example:6432/grid?sslmode=verify-full", schema: "nanjing")
        #expect(target == PublishTarget(host: "db.example", port: 6432, user: "publisher", database: "grid", schema: "nanjing",
                                        sslMode: .verifyFull))
    }

    @Test func aSocketDirectoryTargetUsesThePortsSocketFile() throws {
        let target = try PublishTarget.parse("postgres://onegrid@/grid?host=/run/postgresql")
        #expect(target.socketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(target.sslMode == .disable)
    }

    @Test func aPasswordInTheURLIsRefusedAndNotRepeated() {
        #expect {
            _ = try PublishTarget.parse("postgresql://publisher:s3cret@db.example/grid")
        } throws: { error in
            let text = "\(error)"
            return text.contains("a password in the URL is refused") && !text.contains("s3cret")
        }
    }

    @Test(arguments: [
        ("mysql://u@h/db", "expected postgresql://USER@HOST:PORT/DATABASE"),
        ("postgresql://h/db", "no user (postgresql://USER@HOST/DATABASE)"),
        ("postgresql://u@h", "no database (postgresql://USER@HOST/DATABASE)"),
        ("postgresql://u@h/db?sslmode=prefer", "sslmode must be disable, require or verify-full"),
        ("postgresql://u@h/db?application_name=x", "unknown parameter 'application_name' (sslmode, sslrootcert and host are known)"),
    ])
    func aBadURLSaysWhatIsWrong(url: String, reason: String) {
        #expect(throws: PublishError.badTarget(url: url, reason: reason)) { _ = try PublishTarget.parse(url) }
    }

    @Test func aSchemaMustBeAPlainIdentifier() {
        #expect(throws: PublishError.badTarget(url: "postgresql://u@h/db",
                                               reason: "schema 'a; drop' must be a plain identifier (letters, digits, _)")) {
            _ = try PublishTarget.parse("postgresql://u@h/db", schema: "a; drop")
        }
    }

    @Test func pgpassLinesMatchWithWildcardsAndEscapes() throws {
        let target = try PublishTarget.parse("postgresql://publisher@db.example:5432/grid")
        let pgpass = """
            # comment
            other.example:5432:grid:publisher:wrong
            db.example:*:grid:publisher:pa\\:ss\\\\word
            *:*:*:*:fallback
            """
        let source = PasswordSource(environment: ["PGPASSFILE": "/nonexistent"], home: "/nonexistent")
        #expect(try source.password(for: target) == nil)
        #expect(PasswordSource.match(pgpass, target: target) == "pa:ss\\word")
    }

    @Test func pgpasswordComesBeforeAnyFile() throws {
        let target = try PublishTarget.parse("postgresql://publisher@db.example/grid")
        let source = PasswordSource(environment: ["PGPASSWORD": "from-env"], passwordFile: "/nonexistent", home: "/nonexistent")
        #expect(try source.password(for: target) == "from-env")
    }

    @Test func anUnreadablePasswordFileIsAnErrorNotAnEmptyPassword() throws {
        let target = try PublishTarget.parse("postgresql://publisher@db.example/grid")
        let source = PasswordSource(environment: [:], passwordFile: "/nonexistent/password", home: "/nonexistent")
        #expect(throws: PublishError.passwordFileUnreadable(path: "/nonexistent/password")) { _ = try source.password(for: target) }
    }
}
