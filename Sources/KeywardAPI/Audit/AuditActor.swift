/// Who did something: the peer's credentials from SO_PEERCRED, or this process for local
/// actions.
public struct AuditActor: Sendable, Codable, Equatable, CustomStringConvertible {
    public let uid: UInt32
    public let gid: UInt32
    public let pid: Int32
    /// The peer's systemd unit, from its cgroup (absent: none, or not readable; entries of
    /// 0.2.0 and before have none).
    public let unit: String?
    /// The peer's command name (`comm`): chosen by the process itself, a hint.
    public let command: String?
    /// The peer's executable, where the kernel lets keywardd read it (a peer of its own uid).
    public let executable: String?

    public init(uid: UInt32, gid: UInt32, pid: Int32, unit: String? = nil, command: String? = nil, executable: String? = nil) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.unit = unit
        self.command = command
        self.executable = executable
    }

    public var description: String {
        "uid \(uid) gid \(gid) pid \(pid)" + (unit.map { " unit \($0)" } ?? "") + (command.map { " (\($0))" } ?? "")
    }
}
