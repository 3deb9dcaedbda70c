import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardFleet
import KeywardTestSupport
import Logging
import PostgresNIO
import Testing

/// `sslmode=verify-full` against a real PostgreSQL with TLS, its certificates from a test CA
/// made with the `openssl` command: the right host connects, a certificate for another host or
/// from another CA is refused with an error that says which.
@Suite("the fleet store over TLS (verify-full)", .serialized)
struct StoreTLSTests {
    /// A CA, and server certificates it issued: one for localhost, one for another name; and
    /// a second CA that issued nothing the server uses.
    final class TestCA: Sendable {
        let directory: TemporaryDirectory

        init() throws {
            directory = try TemporaryDirectory(prefix: "keyward-test-ca")
            try openssl([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Keyward test CA",
                "-keyout", "ca.key", "-out", "ca.pem",
            ])
            try openssl([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Another CA",
                "-keyout", "other-ca.key", "-out", "other-ca.pem",
            ])
            try issue("localhost", dns: "localhost")
            try issue("wrong-host", dns: "db.wrong.example")
        }

        func file(_ name: String) -> String { directory.file(name) }

        private func issue(_ name: String, dns: String) throws {
            try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(dns)", "-keyout", "\(name).key", "-out", "\(name).csr"])
            try directory.write("\(name).ext", "subjectAltName=DNS:\(dns)\n")
            try openssl([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", "\(name).ext", "-out", "\(name).pem",
            ])
        }

        private func openssl(_ arguments: [String]) throws {
            let result = try ProcessRunner.run("openssl", arguments, directory: directory.path)
            guard result.status == 0 else { throw TestSupportError("openssl \(arguments.first ?? ""): \(result.standardError)") }
        }
    }

    private func connector(_ server: PostgresServer, rootCertificate: String) throws -> PostgresConnector {
        let url = try PostgresURL(
            parsing:
                "postgresql://\(server.user)@localhost:\(server.port)/\(server.database)?sslmode=verify-full&sslrootcert=\(rootCertificate)"
        )
        return PostgresConnector(url: url, password: server.password, logger: Logger(label: "test"))
    }

    /// A PostgreSQL that also listens on TCP with TLS, with this certificate and key.
    private func server(_ ca: TestCA, certificate name: String) throws -> PostgresServer {
        let server = try PostgresServer()
        server.tls = (ca.file("\(name).pem"), ca.file("\(name).key"))
        try server.stop()
        try server.start()
        return server
    }

    private func refusal(_ connector: PostgresConnector) async -> StoreError? {
        do {
            let connection = try await connector.connect()
            try? await connection.close()
            return nil
        } catch let error as StoreError {
            return error
        } catch {
            Issue.record("not a StoreError: \(error)")
            return nil
        }
    }

    @Test("the server's certificate for localhost, chained to sslrootcert: connected, and a query runs over TLS")
    func rightHost() async throws {
        let ca = try TestCA()
        let server = try server(ca, certificate: "localhost")
        let connection = try await connector(server, rootCertificate: ca.file("ca.pem")).connect()
        let rows = try await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: Logger(label: "test"))
        var sawTLS = false
        for try await ssl in rows.decode(Bool.self) { sawTLS = ssl }
        try await connection.close()
        #expect(sawTLS, "the connection is not encrypted")
    }

    @Test("a certificate for another host is refused: store.tls-verify-failed naming the host and what to check")
    func wrongHost() async throws {
        let ca = try TestCA()
        let server = try server(ca, certificate: "wrong-host")
        let error = try #require(await refusal(try connector(server, rootCertificate: ca.file("ca.pem"))))
        #expect(error.code == "store.tls-verify-failed", "\(error.code): \(error.message)")
        #expect(error.message.contains("localhost"), "\(error.message)")
        #expect(error.message.contains("host name"), "\(error.message)")
        #expect(error.hint.contains("sslrootcert") || error.hint.contains("host"), "\(error.hint)")
    }

    @Test("a certificate from a CA that sslrootcert does not hold is refused: store.tls-verify-failed")
    func unknownAuthority() async throws {
        let ca = try TestCA()
        let server = try server(ca, certificate: "localhost")
        let error = try #require(await refusal(try connector(server, rootCertificate: ca.file("other-ca.pem"))))
        #expect(error.code == "store.tls-verify-failed", "\(error.code): \(error.message)")
        #expect(error.message.contains("not signed by a CA in sslrootcert"), "\(error.message)")
    }
}
