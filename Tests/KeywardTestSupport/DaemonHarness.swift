public import Foundation
public import KeywardAPI
import KeywardCore
import KeywardCrypto

/// A real `keywardd` process on a temporary directory, and clients for it.
public final class DaemonHarness: @unchecked Sendable {
    // `process` is set once in init and only read after; the class is shared with the
    // test's own threads only for reading.
    public let directory: TemporaryDirectory
    public let socketPath: String
    public let process: Process
    /// keywardd's standard output and error go to this file (a pipe nobody reads would
    /// fill up and block the daemon's logging).
    public let logPath: String

    /// Starts `keywardd --dev DIR` (or with `arguments`), and waits until its socket answers.
    public init(
        arguments: [String]? = nil, environment: [String: String] = [:], directory: TemporaryDirectory? = nil, waitForSocket: Bool = true
    ) throws {
        self.directory = try directory ?? TemporaryDirectory(prefix: "keywardd")
        self.socketPath = self.directory.file("keyward.sock")
        process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessRunner.product("keywardd"))
        process.arguments = arguments ?? ["--dev", self.directory.path]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "LISTEN_FDS")
        env.removeValue(forKey: "WATCHDOG_USEC")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        logPath = self.directory.file("keywardd.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        try? logHandle.close()
        if waitForSocket { try self.waitForSocket() }
    }

    /// Polls until the socket accepts a connection (10 s at most).
    public func waitForSocket() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? request("GET", "/v1/health").status) == 200 { return }
            guard process.isRunning else { throw TestSupportError("keywardd exited early: \(log())") }
            usleep(20_000)
        }
        throw TestSupportError("keywardd did not listen within 10 s: \(log())")
    }

    /// Everything keywardd wrote so far.
    public func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Runs keywardctl against this daemon.
    public func keywardctl(_ arguments: [String], input: [UInt8] = []) throws -> ProcessResult {
        try ProcessRunner.run(
            ProcessRunner.product("keywardctl"),
            arguments,
            input: input,
            environment: ProcessInfo.processInfo.environment.merging(["KEYWARD_SOCKET": socketPath]) { $1 },
            directory: directory.path
        )
    }

    /// One HTTP request on a new connection.
    public func request(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String: String] = [:], timeout: Int = 30) throws
        -> RawHTTP.Response
    {
        let connection = try RawHTTP(socketPath: socketPath, timeout: timeout)
        return try connection.exchange(method, path, body: body, headers: headers)
    }

    /// Calls `endpoint` (its answer must be 2xx) and returns the decoded answer: the tests
    /// use the wire model keywardctl uses, so a changed field breaks them at compile time.
    @discardableResult
    public func call<Request, Answer>(
        _ endpoint: Endpoint<Request, Answer>, _ mode: Mode? = nil, _ body: Request? = nil, query: String = ""
    ) throws -> Answer {
        let path = endpoint.route.path(mode) + (query.isEmpty ? "" : "?" + query)
        let response = try request(
            endpoint.route.method.rawValue, path, body: try body.map { Array(try APIJSON.encoder().encode($0)) })
        guard (200..<300).contains(response.status) else {
            throw TestSupportError("\(endpoint.route) answered \(response.status): \(response.text)")
        }
        return try response.decode(Answer.self)
    }
}

/// A minimal keep-alive HTTP/1.1 client over a Unix socket, for tests.
public final class RawHTTP {
    public let fd: Int32

    public struct Response: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: [UInt8]

        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body decoded as `type` (an answer or `ErrorEnvelope` of KeywardAPI).
        public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            do {
                return try APIJSON.decoder().decode(type, from: Data(body))
            } catch {
                throw TestSupportError("not a \(type): \(error) in \(text)")
            }
        }
    }

    public init(socketPath: String, timeout: Int = 10) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(socketPath.utf8)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw TestSupportError("connect \(socketPath): \(String(cString: strerror(errno)))")
        }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Writes raw bytes.
    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
            guard count > 0 else { throw TestSupportError("write: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Sends one request and reads its response, keeping the connection open.
    public func exchange(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String: String] = [:]) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: keywardd\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body?.count ?? 0)\r\n\r\n"
        try send(Array(head.utf8) + (body ?? []))
        return try readResponse()
    }

    private var pending: [UInt8] = []

    /// Reads one response (Content-Length framed).
    public func readResponse() throws -> Response {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let (response, used) = Self.parse(pending) {
                pending.removeFirst(used)
                return response
            }
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else {
                throw TestSupportError("connection closed or timed out before a full response (\(pending.count) bytes)")
            }
            pending += buffer.prefix(count)
        }
    }

    static func parse(_ bytes: [UInt8]) -> (Response, Int)? {
        guard bytes.count >= 4 else { return nil }
        var end: Int?
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            end = index
            break
        }
        guard let end else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard bytes.count >= end + 4 + length else { return nil }
        return (Response(status: status, headers: headers, body: Array(bytes[(end + 4)..<(end + 4 + length)])), end + 4 + length)
    }
}
