import Foundation

/// A real PostgreSQL server (Debian's `postgresql` package) in a temporary directory: initdb
/// and postgres as an unprivileged user (`postgres` when the tests run as root), listening only
/// on a Unix socket in that directory, password authentication (scram-sha-256).
public final class PostgresServer: @unchecked Sendable {
    // Set once in init; start/stop are called from one test at a time.
    public let directory: TemporaryDirectory
    public let password: String
    public let user = "keyward"
    public let database = "keyward"
    /// The port: the Unix socket's name (`.s.PGSQL.PORT`), and on 127.0.0.1 with TLS.
    public let port: Int
    private let binDirectory: String
    /// `setpriv …` to run the server's tools as `postgres` when we are root, else nothing.
    private let asServerUser: [String]
    private var server: Process?
    /// With a certificate and key, the server also listens on 127.0.0.1:`port` with TLS
    /// (ssl = on) from the next `start()`: for the verify-full tests.
    public var tls: (certificateFile: String, keyFile: String)?

    public var socketDirectory: String { directory.file("socket") }
    public var dataDirectory: String { directory.file("data") }
    /// The libpq URL keywardd's `[store] url` takes (no password in it).
    public var url: String { "postgresql://\(user)@/\(database)?host=\(socketDirectory)&port=\(port)" }
    /// A file holding the password, as a systemd credential would.
    public var passwordFile: String { directory.file("password") }

    public init() throws {
        binDirectory = try Self.findBinDirectory()
        port = try Self.freeTCPPort()
        directory = try TemporaryDirectory(prefix: "keyward-pg")
        password = (0..<24).map { _ in String("abcdefghijkmnpqrstuvwxyz23456789".randomElement()!) }.joined()
        try FileManager.default.createDirectory(atPath: directory.file("socket"), withIntermediateDirectories: false)
        try directory.write("password", password)
        try directory.write("pwfile", password + "\n")
        if getuid() == 0 {
            guard let account = getpwnam("postgres") else {
                throw TestSupportError(
                    "tests run as root, and initdb refuses root: there is no user 'postgres' (apt-get install postgresql)")
            }
            let (uid, gid) = (account.pointee.pw_uid, account.pointee.pw_gid)
            _ = FileManager.default.createFile(atPath: directory.file("tools.log"), contents: nil)
            _ = FileManager.default.createFile(atPath: directory.file("server.log"), contents: nil)
            for path in [
                directory.path, directory.file("socket"), directory.file("pwfile"), directory.file("tools.log"),
                directory.file("server.log"),
            ] {
                chown(path, uid, gid)
            }
            asServerUser = ["setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"]
        } else {
            asServerUser = []
        }
        if getuid() != 0 { _ = FileManager.default.createFile(atPath: directory.file("server.log"), contents: nil) }
        try run(
            "initdb", "-D", dataDirectory, "-U", user, "--auth=scram-sha-256", "--pwfile=\(directory.file("pwfile"))", "-E", "UTF8",
            "--no-sync", "--no-instructions")
        try start()
        let created = try ProcessRunner.run(
            "\(binDirectory)/psql",
            ["-h", socketDirectory, "-p", "\(port)", "-U", user, "-d", "postgres", "-c", "CREATE DATABASE \(database)"],
            environment: ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"])
        guard created.status == 0 else { throw TestSupportError("CREATE DATABASE failed: \(created.standardError)") }
    }

    /// Starts the server (our own child process, not through pg_ctl) and waits until it
    /// accepts connections.
    public func start() throws {
        let process = Process()
        var command =
            asServerUser + [
                "\(binDirectory)/postgres", "-D", dataDirectory, "-k", socketDirectory, "-p", "\(port)",
                "-c", "fsync=off", "-c", "full_page_writes=off",
            ]
        if let tls {
            // The server reads its key only if it is the key's owner with mode 0600.
            let files = try [tls.certificateFile, tls.keyFile].map { try copyForServer($0) }
            command += [
                "-c", "listen_addresses=127.0.0.1", "-c", "ssl=on", "-c", "ssl_cert_file=\(files[0])", "-c", "ssl_key_file=\(files[1])",
            ]
        } else {
            command += ["-c", "listen_addresses="]
        }
        process.executableURL = URL(fileURLWithPath: command[0].hasPrefix("/") ? command[0] : try ProcessRunner.which(command[0]))
        process.arguments = Array(command.dropFirst())
        process.environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C"]
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.file("server.log")))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        server = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard process.isRunning else { throw TestSupportError("postgres exited at start: \(self.log().suffix(2000))") }
            let ready = try ProcessRunner.run(
                "\(binDirectory)/pg_isready", ["-q", "-h", socketDirectory, "-p", "\(port)"], environment: ["PATH": "/usr/bin:/bin"])
            if ready.status == 0 { return }
            usleep(50_000)
        }
        throw TestSupportError("postgres did not accept connections within 30 s: \(self.log().suffix(2000))")
    }

    /// Stops the server at once (fast shutdown: connections are dropped).
    public func stop() throws {
        guard let server, server.isRunning else { return }
        server.interrupt()
        server.waitUntilExit()
        self.server = nil
    }

    /// The server's log, for failure messages.
    public func log() -> String {
        (try? String(contentsOfFile: directory.file("server.log"), encoding: .utf8)) ?? ""
    }

    deinit {
        try? stop()
    }

    /// Runs a server tool (initdb) with its output in tools.log.
    private func run(_ tool: String, _ arguments: String...) throws {
        let logFile = directory.file("tools.log")
        let command = asServerUser + ["\(binDirectory)/\(tool)"] + arguments
        let result = try ProcessRunner.run(
            "bash", ["-c", "exec \"$@\" >>\(logFile) 2>&1 </dev/null", "_"] + command,
            environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"])
        guard result.status == 0 else {
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            throw TestSupportError("\(tool) failed (\(result.status)): \(log.suffix(2000))")
        }
    }

    /// A copy of `path` in the server's directory, owned by the server's user, mode 0600.
    private func copyForServer(_ path: String) throws -> String {
        let copy = directory.file("tls-" + URL(fileURLWithPath: path).lastPathComponent)
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        chmod(copy, 0o600)
        if getuid() == 0, let account = getpwnam("postgres") { chown(copy, account.pointee.pw_uid, account.pointee.pw_gid) }
        return copy
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    private static func freeTCPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestSupportError("cannot find a free TCP port: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The newest /usr/lib/postgresql/N/bin with initdb.
    private static func findBinDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw TestSupportError(
            "PostgreSQL is not installed (no \(root)/N/bin/initdb): apt-get install postgresql, as scripts/install-deps does")
    }
}
