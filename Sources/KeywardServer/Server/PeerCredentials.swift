import CKeywardLinux
import NIOCore
import NIOPosix

/// SO_PEERCRED of an accepted Unix socket, through NIO's socket option access.
///
/// The peer's groups come from the system's user and group databases (NSS), which may be
/// files, sssd or LDAP and may take any time: that lookup runs on NIO's blocking thread pool,
/// never on the event loop that serves other connections.
enum PeerCredentials {
    static func read(_ channel: any Channel) -> EventLoopFuture<Peer> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let future: EventLoopFuture<CKeywardLinux_ucred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(CKeywardLinux_solSocket()),
            name: SocketOptionName(CKeywardLinux_soPeerCred())
        )
        let eventLoop = channel.eventLoop
        return future.flatMap { credentials in
            NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) {
                Peer(uid: credentials.uid, gid: credentials.gid, pid: credentials.pid)
            }
        }
    }
}

extension CKeywardLinux_ucred: @retroactive @unchecked Sendable {}
