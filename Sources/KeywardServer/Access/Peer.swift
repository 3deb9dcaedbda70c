public import KeywardCore

/// The process on the other end of a connection, as the kernel saw it when it connected:
/// uid, gid and pid from SO_PEERCRED, supplementary groups from SO_PEERGROUPS.
///
/// The groups are the process's own, not its user's entry in the group database: a service
/// given a group by systemd's `SupplementaryGroups=` holds a `group:` grant, and a process
/// that dropped a group loses it, exactly as the socket file's own permission check decides.
public struct Peer: Sendable, Equatable, CustomStringConvertible {
    public let uid: UInt32
    public let gid: UInt32
    public let pid: Int32
    /// The primary group and the supplementary groups of the peer process.
    public let groups: Set<UInt32>
    /// Its systemd unit, command name and executable, where they could be read at accept.
    public let process: PeerProcess?

    public init(uid: UInt32, gid: UInt32, pid: Int32, groups: Set<UInt32>, process: PeerProcess? = nil) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.groups = groups.union([gid])
        self.process = process
    }

    /// As the audit log records it.
    public var actor: AuditActor {
        AuditActor(uid: uid, gid: gid, pid: pid, unit: process?.unit, command: process?.command, executable: process?.executable)
    }

    public var description: String { "uid \(uid) (pid \(pid))" }
}
