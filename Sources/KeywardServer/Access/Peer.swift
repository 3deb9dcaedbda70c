import CKeywardLinux
import Glibc
public import KeywardCore

/// The process on the other end of a connection, from SO_PEERCRED, with its groups.
public struct Peer: Sendable, Equatable, CustomStringConvertible {
    public let uid: UInt32
    public let gid: UInt32
    public let pid: Int32
    /// Primary and supplementary groups of the peer's user.
    public let groups: Set<UInt32>

    public init(uid: UInt32, gid: UInt32, pid: Int32, groups: Set<UInt32>? = nil) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.groups = groups ?? Self.groups(ofUID: uid, primary: gid)
    }

    /// As the audit log records it.
    public var actor: AuditActor { AuditActor(uid: uid, gid: gid, pid: pid) }

    public var description: String { "uid \(uid) (pid \(pid))" }

    /// The user's groups from the system's group database; just the primary group when the
    /// uid has no user entry.
    static func groups(ofUID uid: UInt32, primary gid: UInt32) -> Set<UInt32> {
        var result: Set<UInt32> = [gid]
        var entry = passwd()
        var buffer = [CChar](repeating: 0, count: 4096)
        var found: UnsafeMutablePointer<passwd>? = nil
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.pw_name else { return result }
        var groups = [UInt32](repeating: 0, count: 64)
        let count = CKeywardLinux_groupsOfUser(name, gid, &groups, Int32(groups.count))
        if count > 0 { result.formUnion(groups.prefix(Int(count))) }
        return result
    }
}
