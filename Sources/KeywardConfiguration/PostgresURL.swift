import Foundation
import KeywardCore
import KeywardCrypto

/// Where a fleet's PostgreSQL store is, written as a libpq connection URI:
/// `postgresql://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=/etc/keyward/db-ca.pem`,
/// or for a Unix socket `postgresql://USER@/DATABASE?host=/run/postgresql`. The password never
/// goes in the URL: it comes from a systemd credential.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The directory holding `.s.PGSQL.PORT`, as libpq's `host=/dir`.
        case unixSocket(directory: String, port: Int)
    }

    /// libpq's sslmode values that Keyward honours.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// No TLS (Unix sockets, or a loopback server).
        case disable
        /// TLS, without checking the server's certificate.
        case require
        /// TLS, the certificate chained to `sslrootcert` and the host name checked.
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    public var tls: TLSMode
    /// The CA bundle for verify-full (`sslrootcert`); nil: the system's trust store.
    public var rootCertificateFile: String?

    public init(parsing text: String) throws {
        func bad(_ problem: String) -> StoreError {
            StoreError(
                code: .badUrl, message: "the store url \(problem)",
                hint: "write postgresql://USER@HOST:PORT/DATABASE?sslmode=verify-full, or postgresql://USER@/DATABASE?host=/run/postgresql")
        }
        guard text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") else { throw bad("must start with postgresql://") }
        guard let components = URLComponents(string: text) else { throw bad("is not a valid URL") }
        if components.password != nil { throw bad("holds a password; give it as a systemd credential (password_credential)") }
        guard let user = components.user, !user.isEmpty else { throw bad("names no user (postgresql://USER@…)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw bad("names no database (…/DATABASE)") }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["sslmode", "sslrootcert", "host", "port"].contains(item.name) else {
                throw bad("has the parameter '\(item.name)'; Keyward knows sslmode, sslrootcert, host and port")
            }
            query[item.name] = item.value ?? ""
        }
        let portText = query["port"] ?? components.port.map(String.init) ?? "5432"
        guard let port = Int(portText), (1...65_535).contains(port) else { throw bad("has the port '\(portText)'") }
        if let socketDirectory = query["host"] {
            guard socketDirectory.hasPrefix("/") else { throw bad("has host=\(socketDirectory); a Unix socket directory starts with /") }
            endpoint = .unixSocket(directory: socketDirectory, port: port)
        } else {
            guard let host = components.host, !host.isEmpty else { throw bad("names no host (…@HOST:PORT/…, or ?host=/socket/dir)") }
            endpoint = .tcp(host: host, port: port)
        }
        let modeText = query["sslmode"] ?? (endpoint.isUnixSocket ? "disable" : "verify-full")
        guard let mode = TLSMode(rawValue: modeText) else {
            throw bad("has sslmode=\(modeText); use one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.user = user
        self.database = database
        self.tls = mode
        self.rootCertificateFile = query["sslrootcert"]
    }

    /// For messages: where, never a password (the URL holds none).
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port): "postgresql://\(user)@\(host):\(port)/\(database)"
        case .unixSocket(let directory, let port): "postgresql://\(user)@/\(database)?host=\(directory)&port=\(port)"
        }
    }
}

extension PostgresURL.Endpoint {
    var isUnixSocket: Bool {
        if case .unixSocket = self { return true }
        return false
    }
}
