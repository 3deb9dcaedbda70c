import Foundation
import Glibc

/// What the audit log says of a peer's process beyond its credentials: the systemd unit from
/// its cgroup (set by systemd, not by the process), its command name (`comm`, which the
/// process chose: a hint, not proof) and its executable (readable only for a peer of this
/// daemon's own uid: the kernel guards `/proc/PID/exe` as it guards ptrace).
///
/// Read once, when the connection is accepted. Where the kernel has SO_PEERPIDFD (Linux 6.5)
/// the read is checked against the pidfd it gave at connect time: if that process has exited,
/// its pid may name another process now and nothing is recorded. Without it (this is the
/// fallback on older kernels) the pid from SO_PEERCRED is read as it is: a peer that connects
/// and exits at once, before the accept, could leave its pid to a new process whose unit and
/// name would be recorded instead. The uid and gid, which grant access, come from the kernel
/// and have no such race.
public struct PeerProcess: Sendable, Equatable {
    public let unit: String?
    public let command: String?
    public let executable: String?

    public init(unit: String?, command: String?, executable: String?) {
        self.unit = unit
        self.command = command
        self.executable = executable
    }

    /// Reads `/proc/<pid>`; nil fields for what cannot be read.
    static func read(pid: Int32) -> PeerProcess {
        let base = "/proc/\(pid)"
        return PeerProcess(
            unit: text(base + "/cgroup").flatMap(unit(fromCgroup:)),
            command: text(base + "/comm").map { String($0.prefix(while: { $0 != "\n" })) }.flatMap { $0.isEmpty ? nil : $0 },
            executable: link(base + "/exe"))
    }

    /// The systemd unit of a cgroup v2 line `0::/system.slice/payments.service` (the deepest
    /// path component named like a unit: `.service`, `.scope`, `.socket`, …).
    static func unit(fromCgroup text: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else { return nil }
        let suffixes = [".service", ".scope", ".socket", ".mount", ".swap", ".slice"]
        return line.dropFirst(3).split(separator: "/").reversed().first { part in
            suffixes.contains { part.hasSuffix($0) } && !part.hasSuffix(".slice")
        }.map(String.init)
    }

    private static func text(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    private static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
