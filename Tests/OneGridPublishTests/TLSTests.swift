import Foundation
@testable import OneGridPublish
import PostgresNIO
import Testing

/// The TLS side of the test cluster (`scripts/test-postgres.sh`): the CA that signed the
/// server's certificate (for 127.0.0.1 and localhost), a CA that signed nothing, and a
/// copy of the server that never offers TLS.
enum TestTLS {
    static let ca = TestServer.environment["ONEGRID_TEST_POSTGRES_CA"]
    static let otherCA = TestServer.environment["ONEGRID_TEST_POSTGRES_OTHER_CA"]
    static let plainURL = TestServer.environment["ONEGRID_TEST_POSTGRES_PLAIN"]

    /// `name`'s value, or a recorded failure (the variables come with the server).
    static func required(_ value: String?, _ name: String) throws -> String {
        guard let value, !value.isEmpty else {
            Issue.record("\(name) is not set: scripts/test-postgres.sh exports it with the server")
            throw TestServerMissing()
        }
        return value
    }

    /// The test server reached as `host` with `sslMode`, trusting `rootCert` when given.
    static func target(host: String = "127.0.0.1", _ sslMode: PublishTarget.SSLMode, rootCert: String? = nil) throws -> PublishTarget {
        var target = try TestServer.target()
        target.host = host
        target.sslMode = sslMode
        target.sslRootCert = rootCert
        return target
    }

    /// Whether the server sees the connection opened for `target` as TLS (`pg_stat_ssl`).
    static func connectsOverTLS(_ target: PublishTarget, passwords: PasswordSource = TestServer.passwords) async throws -> Bool {
        let connection = try await Publisher.connect(target, password: TestServer.password,
                                                     rootCertificate: target.rootCertificate(in: passwords))
        defer { Task { try? await connection.close() } }
        var ssl = false
        for try await value in try await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                                                          logger: Publisher.testLogger).decode(Bool.self) {
            ssl = value
        }
        try await connection.close()
        return ssl
    }
}

/// `sslmode` against a real server with a certificate: `require` encrypts, `verify-full`
/// checks the certificate against the named root and the host name, and each failure says
/// which check failed.
@Suite(.enabled(if: TestServer.enabled, TestServer.skipMessage))
struct TLSTests {
    @Test func requireConnectsOverTLSWithoutCheckingTheCertificate() async throws {
        #expect(try await TestTLS.connectsOverTLS(TestTLS.target(.require)))
    }

    @Test func verifyFullWithTheCANamedInTheURLConnectsOverTLS() async throws {
        let ca = try TestTLS.required(TestTLS.ca, "ONEGRID_TEST_POSTGRES_CA")
        #expect(try await TestTLS.connectsOverTLS(TestTLS.target(.verifyFull, rootCert: ca)))
    }

    @Test func verifyFullAcceptsTheHostNameFromTheCertificatesSubjectAltName() async throws {
        let ca = try TestTLS.required(TestTLS.ca, "ONEGRID_TEST_POSTGRES_CA")
        #expect(try await TestTLS.connectsOverTLS(TestTLS.target(host: "localhost", .verifyFull, rootCert: ca)))
    }

    @Test func verifyFullFindsTheRootInPGSSLROOTCERT() async throws {
        let ca = try TestTLS.required(TestTLS.ca, "ONEGRID_TEST_POSTGRES_CA")
        let passwords = PasswordSource(environment: ["PGSSLROOTCERT": ca], home: "/nonexistent")
        #expect(try await TestTLS.connectsOverTLS(TestTLS.target(.verifyFull), passwords: passwords))
    }

    @Test func verifyFullFindsTheRootInTheHomesPostgresqlRootCrt() async throws {
        let ca = try TestTLS.required(TestTLS.ca, "ONEGRID_TEST_POSTGRES_CA")
        let home = NSTemporaryDirectory() + "onegrid-home-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home + "/.postgresql", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ca, toPath: home + "/.postgresql/root.crt")
        let passwords = PasswordSource(environment: [:], home: home)
        #expect(try TestTLS.target(.verifyFull).rootCertificate(in: passwords) == home + "/.postgresql/root.crt")
        #expect(try await TestTLS.connectsOverTLS(TestTLS.target(.verifyFull), passwords: passwords))
    }

    @Test func aWholePublishRunsOverVerifyFull() async throws {
        let ca = try TestTLS.required(TestTLS.ca, "ONEGRID_TEST_POSTGRES_CA")
        let target = try TestTLS.target(host: "localhost", .verifyFull, rootCert: ca)
        let (warehouse, _) = try SampleWarehouse.copy()

        let report = try await Publisher(warehouse: warehouse).publish(TestServer.options(target))

        #expect(report.through == (try warehouse.lastChange()))
        #expect(try await centralCounts(target, origin: report.origin) == (try localCounts(warehouse)))
    }

    @Test func verifyFullRefusesACertificateThatDoesNotNameTheHost() async throws {
        let ca = try TestTLS.required(TestTLS.ca, "ONEGRID_TEST_POSTGRES_CA")
        // 127.0.0.2 reaches the same server (loopback), but its certificate names 127.0.0.1 and localhost.
        let target = try TestTLS.target(host: "127.0.0.2", .verifyFull, rootCert: ca)

        await #expect(throws: PublishError.tls(target: target.description,
                                               message: "the server's certificate does not name 127.0.0.2 (sslmode=verify-full checks the host name)")) {
            _ = try await TestTLS.connectsOverTLS(target)
        }
    }

    @Test func verifyFullRefusesACertificateFromAnotherCA() async throws {
        let other = try TestTLS.required(TestTLS.otherCA, "ONEGRID_TEST_POSTGRES_OTHER_CA")
        let target = try TestTLS.target(.verifyFull, rootCert: other)

        await #expect(throws: PublishError.tls(target: target.description, message: """
            the server's certificate is not signed by the root certificate \(other) \
            (sslrootcert in the URL, PGSSLROOTCERT or ~/.postgresql/root.crt name the root)
            """)) {
            _ = try await Publisher(warehouse: try SampleWarehouse.copy().warehouse).publish(TestServer.options(target))
        }
    }

    @Test func verifyFullWithoutANamedRootTrustsOnlyTheSystemRoots() async throws {
        let target = try TestTLS.target(.verifyFull)

        await #expect(throws: PublishError.tls(target: target.description, message: """
            the server's certificate is not signed by the system's trust roots \
            (sslrootcert in the URL, PGSSLROOTCERT or ~/.postgresql/root.crt name the root)
            """)) {
            _ = try await TestTLS.connectsOverTLS(target)
        }
    }

    @Test func anUnreadableRootCertificateIsNamed() async throws {
        let target = try TestTLS.target(.verifyFull, rootCert: "/nonexistent/root.crt")

        await #expect {
            _ = try await TestTLS.connectsOverTLS(target)
        } throws: { error in
            guard case .tls(let where_, let message) = error as? PublishError else { return false }
            return where_ == target.description && message.hasPrefix("the root certificate /nonexistent/root.crt cannot be read as PEM")
        }
    }

    @Test(arguments: [PublishTarget.SSLMode.require, .verifyFull])
    func tlsAgainstAServerWithoutTLSFails(mode: PublishTarget.SSLMode) async throws {
        var target = try PublishTarget.parse(try TestTLS.required(TestTLS.plainURL, "ONEGRID_TEST_POSTGRES_PLAIN"),
                                             schema: TestServer.freshSchema())
        target.sslMode = mode
        target.sslRootCert = TestTLS.ca

        await #expect(throws: PublishError.tls(target: target.description,
                                               message: "the server does not offer TLS (sslmode=\(mode.rawValue) requires it)")) {
            _ = try await Publisher(warehouse: try SampleWarehouse.copy().warehouse).publish(TestServer.options(target))
        }
    }
}
