import Foundation
import KeywardSystemd
import KeywardTestSupport
import Testing

/// sd_notify for real: a datagram socket stands where systemd's would.
@Suite("systemd notifications", .serialized)
struct SystemdNotifierTests {
    @Test("messages reach the socket named in NOTIFY_SOCKET as one datagram of KEY=value lines")
    func notify() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("notify.sock")
        let listener = try DatagramListener(path: path)
        setenv("NOTIFY_SOCKET", path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }

        let notifier = SystemdNotifier()
        #expect(notifier.isListening)
        #expect(notifier.notify(.ready, .status("live v7 (12d old)\ntest v3; INJECTED=1")))
        #expect(try listener.receive() == "READY=1\nSTATUS=live v7 (12d old) test v3; INJECTED=1")
        #expect(notifier.notify(.reloading(monotonicMicroseconds: 42)))
        #expect(try listener.receive() == "RELOADING=1\nMONOTONIC_USEC=42")
    }

    @Test("without NOTIFY_SOCKET, notifying is a harmless no-op and there is no watchdog")
    func notListening() {
        unsetenv("NOTIFY_SOCKET")
        unsetenv("WATCHDOG_USEC")
        let notifier = SystemdNotifier()
        #expect(!notifier.isListening)
        #expect(!notifier.notify(.ready))
        #expect(notifier.watchdogPingInterval == nil)
    }

    @Test("the watchdog is pinged at half of WATCHDOG_USEC")
    func watchdogInterval() {
        setenv("WATCHDOG_USEC", "3000000", 1)
        setenv("WATCHDOG_PID", "\(getpid())", 1)
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        #expect(SystemdNotifier().watchdogPingInterval == .milliseconds(1500))
    }

    @Test("the monotonic clock moves forward")
    func monotonic() {
        let first = MonotonicClock.nowMicroseconds()
        let second = MonotonicClock.nowMicroseconds()
        #expect(first > 0 && second >= first)
    }
}

/// A bound AF_UNIX datagram socket that receives one message at a time.
final class DatagramListener {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw TestSupportError("bind failed") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { throw TestSupportError("nothing received within 5 s") }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
