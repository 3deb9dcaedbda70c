import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Synchronization
import Testing

/// keywardd under the systemd protocols, with real sockets: sd_notify captured on a datagram
/// socket named in NOTIFY_SOCKET, and socket activation through systemd-socket-activate.
@Suite("systemd integration")
struct SystemdIntegrationTests {
    /// Collects sd_notify datagrams on a thread.
    final class NotifyCollector: Sendable {
        let path: String
        private let fd: Int32
        private let store = MessageStore()

        final class MessageStore: Sendable {
            let messages = Mutex<[String]>([])
        }

        init(directory: TemporaryDirectory) throws {
            path = directory.file("notify.sock")
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw TestSupportError("bind notify socket: \(errno)") }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let descriptor = fd
            let store = self.store
            Thread {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = recv(descriptor, &buffer, buffer.count, 0)
                    if count > 0 {
                        store.messages.withLock { $0.append(String(decoding: buffer.prefix(count), as: UTF8.self)) }
                    } else if count < 0 && errno != EAGAIN && errno != EINTR {
                        return
                    }
                }
            }.start()
        }

        deinit { close(fd) }

        var all: [String] { store.messages.withLock { $0 } }

        /// Waits until a message containing `text` arrives; returns its index.
        func waitFor(_ text: String, after index: Int = 0, seconds: Double = 10) throws -> Int {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let list = all
                if let found = list.indices.first(where: { $0 >= index && list[$0].contains(text) }) { return found }
                usleep(10_000)
            }
            throw TestSupportError("no sd_notify message with \(text) within \(seconds) s; got \(all)")
        }
    }

    @Test("READY after listening, STATUS, WATCHDOG pings, RELOADING/READY on SIGHUP, STOPPING on SIGTERM, exit 0")
    func notifyProtocol() async throws {
        let directory = try TemporaryDirectory(prefix: "keywardd-notify")
        let collector = try NotifyCollector(directory: directory)
        let daemon = try DaemonHarness(
            environment: ["NOTIFY_SOCKET": collector.path, "WATCHDOG_USEC": "400000"],
            directory: directory,
            waitForSocket: false
        )
        let ready = try collector.waitFor("READY=1")
        // READY came only after the socket listens: it must accept a request now.
        #expect(try daemon.request("GET", "/v1/health").status == 200)
        #expect(collector.all[ready].contains("STATUS=live no key set, test no key set"))
        _ = try collector.waitFor("WATCHDOG=1", after: ready)

        try committedTestMode(daemon, merchant: 140, platform: 141)
        _ = try collector.waitFor("STATUS=live no key set, test v1 (0d old)")

        kill(daemon.process.processIdentifier, SIGHUP)
        let reloading = try collector.waitFor("RELOADING=1")
        #expect(collector.all[reloading].contains("MONOTONIC_USEC="))
        _ = try collector.waitFor("READY=1", after: reloading + 1)

        let before = collector.all.count
        let status = try await onOwnThread { daemon.stop() }
        _ = try collector.waitFor("STOPPING=1", after: before)
        #expect(status == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "the socket file is removed on a clean stop")
    }

    @Test("socket activation: systemd-socket-activate passes the listening socket and keywardd serves on it")
    func socketActivation() async throws {
        let directory = try TemporaryDirectory(prefix: "keywardd-activate")
        let socketPath = directory.file("activated.sock")
        let activator = Process()
        activator.executableURL = URL(fileURLWithPath: try ProcessRunner.which("systemd-socket-activate"))
        activator.arguments = ["--listen=\(socketPath)", ProcessRunner.product("keywardd"), "--dev", directory.path]
        let log = directory.file("activator.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        activator.standardOutput = handle
        activator.standardError = handle
        try activator.run()
        defer {
            // Without --accept, systemd-socket-activate execs keywardd in its own process:
            // SIGTERM stops it cleanly; SIGKILL only if it does not stop in time.
            kill(activator.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while activator.isRunning && Date() < deadline { usleep(20_000) }
            if activator.isRunning { kill(activator.processIdentifier, SIGKILL) }
            activator.waitUntilExit()
        }
        // The socket exists before keywardd runs; the first connection starts it.
        var response: RawHTTP.Response?
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && response == nil {
            if FileManager.default.fileExists(atPath: socketPath) {
                response = try? await onOwnThread { try RawHTTP(socketPath: socketPath, timeout: 10).exchange("GET", "/v1/health") }
            }
            if response == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(response?.status == 200, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        // The socket accepts before keywardd has logged that it listens: wait for the line (a
        // ceiling, not a measurement; on a loaded machine the log can trail the first answer).
        var logText = ""
        let logDeadline = Date().addingTimeInterval(30)
        while Date() < logDeadline {
            logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if logText.contains("listening on the socket systemd passed") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(logText.contains("listening on the socket systemd passed"), "\(logText)")
        #expect(
            !FileManager.default.fileExists(atPath: directory.file("keyward.sock")),
            "keywardd must not bind its own socket when one is passed")
    }
}
