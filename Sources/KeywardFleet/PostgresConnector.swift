import Foundation
public import KeywardConfiguration
public import KeywardCore
public import KeywardCrypto
public import Logging
import NIOSSL
public import PostgresNIO

/// Opens connections to the fleet's PostgreSQL from its URL and password, and turns
/// PostgresNIO's errors into ones that say what the operator should do.
public struct PostgresConnector: Sendable {
    public let url: PostgresURL
    private let password: String?
    private let logger: Logger

    public init(url: PostgresURL, password: String?, logger: Logger) {
        self.url = url
        self.password = password
        self.logger = logger
    }

    /// Reads the store password from a file (a systemd credential), without its final newline.
    public static func password(fromFile path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
            throw StoreError(
                code: .passwordUnreadable, message: "cannot read the store password from \(path)",
                hint: "check LoadCredentialEncrypted= for the password credential, or the file's path and permissions")
        }
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }

    /// A new connection; the caller closes it.
    public func connect() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: try configuration(), id: 1, logger: logger)
        } catch let error as StoreError {
            throw error
        } catch {
            throw describe(error)
        }
    }

    private func configuration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch url.endpoint {
        case .unixSocket(let directory, let port):
            configuration = .init(
                unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: url.user, password: password, database: url.database)
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: url.user, password: password, database: url.database, tls: try tls())
        }
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch url.tls {
        case .disable: return .disable
        case .require: tls.certificateVerification = .none
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            if let file = url.rootCertificateFile { tls.trustRoots = .file(file) }
        }
        do {
            return .require(try NIOSSLContext(configuration: tls))
        } catch {
            throw StoreError(
                code: .tlsSetup, message: "cannot set up TLS for \(url): \(error)",
                hint: "check sslrootcert (a PEM CA bundle) in the store url")
        }
    }

    /// A PostgresNIO error as a StoreError: `store.unreachable` when no answer came,
    /// `store.failed` with the server's own message when the server refused.
    public func describe(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return describe(inner)
            }
        }
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let state = info[.sqlState] ?? "?"
                let message = info[.message] ?? "no message"
                if state == "42P01" {
                    return StoreError(
                        code: .schemaMissing, message: "the store \(url) has no Keyward schema (\(message))",
                        hint: "run keywardctl store migrate --config /etc/keyward/keywardd.toml")
                }
                if state.hasPrefix("28") {
                    return StoreError(
                        code: .authFailed, message: "PostgreSQL refused the login to \(url): \(message)",
                        hint: "check the user in the url and the password credential")
                }
                return StoreError(
                    code: .failed, message: "PostgreSQL at \(url) refused: \(message) (SQLSTATE \(state))",
                    hint: "see the PostgreSQL server log")
            }
            if let underlying = error.underlying, let refusal = certificateRefusal(underlying) { return refusal }
            return unreachable("\(error.code)" + (error.underlying.map { " (\($0))" } ?? ""))
        }
        if let refusal = certificateRefusal(error) { return refusal }
        return unreachable("\(error)")
    }

    /// A TLS error that says the server's certificate failed verify-full, as an error that
    /// names which check failed and what to change; nil for any other error.
    private func certificateRefusal(_ error: any Error) -> StoreError? {
        guard case .tcp(let host, _) = url.endpoint else { return nil }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return StoreError(
                code: .tlsVerifyFailed,
                message: "the store's server certificate does not hold the host name \(host) (\(url)); the connection was refused",
                hint: "connect to a name the certificate lists (its subjectAltName), or have the certificate reissued for \(host)")
        }
        if case .handshakeFailed(let reason) = error as? NIOSSLError, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
            let roots = url.rootCertificateFile.map { "sslrootcert (\($0))" } ?? "the system's trust store"
            return StoreError(
                code: .tlsVerifyFailed,
                message:
                    "the store's server certificate at \(host) is not signed by a CA in \(roots), or it has expired; the connection was refused",
                hint: "set sslrootcert in the store url to the CA that issued the server's certificate, and check its validity dates")
        }
        return nil
    }

    private func unreachable(_ cause: String) -> StoreError {
        StoreError(
            code: .unreachable, message: "the store \(url) is unreachable: \(cause)",
            hint: "reads and signatures go on from the local copy; control actions wait for the store")
    }
}

/// Printing a connector never shows its password.
extension PostgresConnector: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "PostgresConnector(\(url), password: \(password == nil ? "none" : "<redacted>"))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["url": url.description, "password": "<redacted>"]) }
}
