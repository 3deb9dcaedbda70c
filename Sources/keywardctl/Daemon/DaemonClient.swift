import Foundation
import Glibc
import KeywardAPI
import KeywardCrypto

/// A blocking HTTP/1.1 client for keywardd's Unix socket: one request, one response
/// (always with Content-Length, as keywardd answers).
struct DaemonClient {
    let socketPath: String

    struct Response {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]
    }

    /// Sends one request. `timeout` bounds the wait for the answer (watches need longer).
    func send(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String: String] = [:], timeout: Int = 30) throws -> Response
    {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DaemonError.unreachable(socketPath, errno) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw DaemonError(
                code: .socketPathTooLong, message: "the socket path \(socketPath) is too long", hint: "use a shorter path")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw DaemonError.unreachable(socketPath, errno) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))

        var head = "\(method) \(path) HTTP/1.1\r\nHost: keywardd\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body {
            head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        var request = Array(head.utf8)
        request += body ?? []
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
            guard count > 0 else { throw DaemonError.unreachable(socketPath, errno) }
            sent += count
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw DaemonError(
                    code: .timeout, message: "keywardd did not answer within \(timeout) s",
                    hint: "check the daemon (systemctl status keywardd)")
            }
            guard count > 0 else { break }
            received += buffer.prefix(count)
            if let response = Self.parse(received) { return response }
        }
        guard let response = Self.parse(received) else {
            throw DaemonError(
                code: .badResponse, message: "keywardd closed the connection without a complete answer",
                hint: "see the daemon's log (journalctl -u keywardd)")
        }
        return response
    }

    /// A complete response in `bytes`, or nil if more is needed.
    static func parse(_ bytes: [UInt8]) -> Response? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.first(where: { bytes.count >= $0 + 4 && Array(bytes[$0..<$0 + 4]) == separator }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + 4
        guard bytes.count >= bodyStart + length else { return nil }
        return Response(status: status, headers: headers, body: Array(bytes[bodyStart..<bodyStart + length]))
    }
}

/// The daemon's error answer (same codes as its JSON), or a failure to reach it.
struct DaemonError: ReportableError {
    let errorCode: any ErrorCode
    let message: String
    let hint: String

    init(code: ClientErrorCode, message: String, hint: String) {
        self.errorCode = code
        self.message = message
        self.hint = hint
    }

    /// The daemon's error answer, with its code as it came.
    init(answered envelope: ErrorEnvelope, status: Int) {
        self.errorCode = AnsweredErrorCode(rawValue: envelope.error.code, status: status)
        self.message = envelope.error.message
        self.hint = envelope.error.hint
    }

    static func unreachable(_ path: String, _ code: Int32) -> DaemonError {
        DaemonError(
            code: .unreachable,
            message: "cannot reach keywardd at \(path): \(String(cString: strerror(code)))",
            hint: "is keywardd running (systemctl status keywardd, or keywardd --dev)? Point at its socket with --socket or KEYWARD_SOCKET"
        )
    }
}

/// A code keywardd answered with: from one of the daemon's catalogs, kept as it came (a
/// newer daemon may know codes this keywardctl does not).
struct AnsweredErrorCode: ErrorCode {
    let rawValue: String
    let status: Int
}
