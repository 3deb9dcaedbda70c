import CKeywardLinux
import NIOCore

/// SO_PEERCRED of an accepted Unix socket, through NIO's socket option access.
enum PeerCredentials {
    static func read(_ channel: any Channel) -> EventLoopFuture<Peer> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let future: EventLoopFuture<CKeywardLinux_ucred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(CKeywardLinux_solSocket()),
            name: SocketOptionName(CKeywardLinux_soPeerCred())
        )
        return future.map { credentials in
            Peer(uid: credentials.uid, gid: credentials.gid, pid: credentials.pid)
        }
    }
}

extension CKeywardLinux_ucred: @retroactive @unchecked Sendable {}
