import Foundation
import Glibc
import Testing

@testable import KeywardServer

/// The peer's process as the audit log records it: the unit from a cgroup v2 line, and what
/// /proc tells of a live process.
@Suite("the peer's process")
struct PeerProcessTests {
    @Test("the unit is the deepest unit-named part of the cgroup v2 path; slices are not units of the peer")
    func unitFromCgroup() {
        #expect(PeerProcess.unit(fromCgroup: "0::/system.slice/payments.service\n") == "payments.service")
        #expect(PeerProcess.unit(fromCgroup: "0::/user.slice/user-1000.slice/session-4.scope\n") == "session-4.scope")
        #expect(
            PeerProcess.unit(fromCgroup: "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-foo.scope") == "app-foo.scope")
        #expect(PeerProcess.unit(fromCgroup: "0::/system.slice/payments.service/worker\n") == "payments.service")
        #expect(PeerProcess.unit(fromCgroup: "0::/\n") == nil)
        #expect(PeerProcess.unit(fromCgroup: "12:pids:/foo\n") == nil, "cgroup v1 lines name no unit")
    }

    @Test("this process reads as itself: its command name and executable; a pid of no process reads as nothing")
    func ownProcess() {
        let process = PeerProcess.read(pid: getpid())
        let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #expect(process.executable == executable && process.executable != nil)
        #expect(process.command?.isEmpty == false)
        #expect(PeerProcess.read(pid: Int32.max) == PeerProcess(unit: nil, command: nil, executable: nil))
    }
}
