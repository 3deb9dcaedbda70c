import CKeywardLinux
import Glibc
import NIOCore
import NIOPosix

/// SO_PEERCRED and SO_PEERGROUPS of an accepted Unix socket, through NIO's socket option
/// access. Both are answered by the kernel from what it recorded at connect time: two
/// getsockopt calls on the event loop, no user or group database lookup (NSS may be sssd or
/// LDAP and take any time).
enum PeerCredentials {
    static func read(_ channel: any Channel) -> EventLoopFuture<Peer> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let level = SocketOptionLevel(CKeywardLinux_solSocket())
        let credentials: EventLoopFuture<CKeywardLinux_ucred> = provider.unsafeGetSocketOption(
            level: level, name: SocketOptionName(CKeywardLinux_soPeerCred()))
        // A peer with more supplementary groups than the answer has room for (ERANGE) is
        // known by its primary group only: a group grant then fails closed.
        let groups: EventLoopFuture<[UInt32]> = provider.unsafeGetSocketOption(
            level: level, name: SocketOptionName(CKeywardLinux_soPeerGroups())
        ).map { (answer: CKeywardLinux_peerGroups) -> [UInt32] in
            var answer = answer
            let count = Int(CKeywardLinux_peerGroupCount(&answer))
            return withUnsafeBytes(of: &answer.gids) { Array($0.bindMemory(to: UInt32.self).prefix(count)) }
        }.recover { _ in [] }
        // SO_PEERPIDFD where the kernel has it (6.5): the process read below is checked
        // against it. Older kernels refuse the option: the pid is read as it is.
        let pidfd: EventLoopFuture<Int32?> = provider.unsafeGetSocketOption(
            level: level, name: SocketOptionName(CKeywardLinux_soPeerPidfd())
        ).map { (fd: Int32) -> Int32? in fd >= 0 ? fd : nil }.recover { _ in nil }
        return credentials.and(groups).and(pidfd).map { both, pidfd in
            let (credentials, groups) = both
            var process = PeerProcess.read(pid: credentials.pid)
            if let pidfd {
                if CKeywardLinux_pidfdExited(pidfd) != 0 { process = PeerProcess(unit: nil, command: nil, executable: nil) }
                close(pidfd)
            }
            return Peer(uid: credentials.uid, gid: credentials.gid, pid: credentials.pid, groups: Set(groups), process: process)
        }
    }
}

extension CKeywardLinux_ucred: @retroactive @unchecked Sendable {}
extension CKeywardLinux_peerGroups: @retroactive @unchecked Sendable {}
