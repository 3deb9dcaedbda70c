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
    public let port = 5432
    private let binDirectory: String
    /// `setpriv …` to run the server's tools as `postgres` when we are root, else nothing.
    private let asServerUser: [String]
    private var server: Process?

    public var socketDirectory: String { directory.file("socket") }
    public var dataDirectory: String { directory.file("data") }
    /// The libpq URL keywardd's `[store] url` takes (no password in it).
    public var url: String { "postgresql://\(user)@/\(database)?host=\(socketDirectory)&port=\(port)" }
    /// A file holding the password, as a systemd credential would.
    public var passwordFile: String { directory.file("password") }

    public init() throws {
        binDirectory = try Self.findBinDirectory()
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
        let command =
            asServerUser + [
                "\(binDirectory)/postgres", "-D", dataDirectory, "-k", socketDirectory, "-c", "listen_addresses=", "-p", "\(port)",
                "-c", "fsync=off", "-c", "full_page_writes=off",
            ]
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
