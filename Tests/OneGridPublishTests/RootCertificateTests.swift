import Foundation
import OneGridPublish
import Testing

/// Which certificates `verify-full` trusts, found where libpq looks (no server needed).
struct RootCertificateTests {
    let home: String = {
        let home = NSTemporaryDirectory() + "onegrid-home-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: home + "/.postgresql", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: home + "/.postgresql/root.crt", contents: Data("not read here".utf8))
        return home
    }()

    @Test func sslrootcertInTheURLComesFirst() throws {
        let target = try PublishTarget.parse("postgresql://p@db.example/grid?sslmode=verify-full&sslrootcert=/etc/grid/ca.pem")
        let source = PasswordSource(environment: ["PGSSLROOTCERT": "/env/ca.pem"], home: home)
        #expect(target.sslRootCert == "/etc/grid/ca.pem")
        #expect(target.rootCertificate(in: source) == "/etc/grid/ca.pem")
    }

    @Test func pgsslrootcertComesBeforeTheHomeFile() throws {
        let target = try PublishTarget.parse("postgresql://p@db.example/grid?sslmode=verify-full")
        #expect(target.rootCertificate(in: PasswordSource(environment: ["PGSSLROOTCERT": "/env/ca.pem"], home: home)) == "/env/ca.pem")
    }

    @Test func theHomesPostgresqlRootCrtIsUsedWhenItExists() throws {
        let target = try PublishTarget.parse("postgresql://p@db.example/grid?sslmode=verify-full")
        #expect(target.rootCertificate(in: PasswordSource(environment: [:], home: home)) == home + "/.postgresql/root.crt")
        #expect(target.rootCertificate(in: PasswordSource(environment: [:], home: "/nonexistent")) == nil)
    }

    @Test func systemMeansTheSystemTrustRootsWhereverItIsSaid() throws {
        let url = try PublishTarget.parse("postgresql://p@db.example/grid?sslmode=verify-full&sslrootcert=system")
        let plain = try PublishTarget.parse("postgresql://p@db.example/grid?sslmode=verify-full")
        #expect(url.rootCertificate(in: PasswordSource(environment: [:], home: home)) == nil)
        #expect(plain.rootCertificate(in: PasswordSource(environment: ["PGSSLROOTCERT": "system"], home: home)) == nil)
    }

    @Test func anEmptySslrootcertIsABadTarget() {
        let url = "postgresql://p@db.example/grid?sslrootcert="
        #expect(throws: PublishError.badTarget(url: url, reason: "sslrootcert= takes a PEM file or `system`")) {
            _ = try PublishTarget.parse(url)
        }
    }
}
