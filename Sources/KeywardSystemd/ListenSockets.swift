import CKeywardSystemd
import Glibc

/// The listening sockets systemd passed on socket activation (`LISTEN_FDS`/`LISTEN_PID`).
public enum ListenSockets {
    /// The passed file descriptors, in order; empty when not socket-activated. The
    /// environment variables are removed so child processes do not inherit them.
    public static func take() -> [Int32] {
        let count = sd_listen_fds(1)
        guard count > 0 else { return [] }
        let start = CKeywardSystemd_listenFDsStart()
        return (0..<count).map { start + $0 }
    }

    /// Whether `fd` is a listening Unix stream socket (what Keyward can serve on).
    public static func isUnixStreamListener(_ fd: Int32) -> Bool {
        sd_is_socket_unix(fd, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0
    }
}
