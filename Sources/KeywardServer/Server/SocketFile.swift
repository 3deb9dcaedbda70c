import Glibc
import KeywardCore
import KeywardCrypto

/// The socket path's file: stale sockets removed, permissions set after bind.
enum SocketFile {
    /// Removes `path` if it is a socket nobody listens on; refuses if something listens, or
    /// if it is not a socket.
    static func removeIfStale(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw SocketError(
                code: .notASocket, message: "\(path) exists and is not a socket",
                hint: "remove it or choose another socket path")
        }
        if isListening(path) {
            throw SocketError(
                code: .inUse, message: "another process is listening on \(path)",
                hint: "stop the other keywardd, or choose another socket path")
        }
        unlink(path)
    }

    static func setPermissions(_ path: String, permissions: UInt32, group: UInt32?) throws {
        if let group, chown(path, UInt32.max, group) != 0 {
            throw SocketError(
                code: .chownFailed,
                message: "cannot give \(path) to group \(group): \(String(cString: strerror(errno)))",
                hint: "run keywardd as a member of that group, or drop socket_group")
        }
        guard chmod(path, mode_t(permissions)) == 0 else {
            throw SocketError(
                code: .chmodFailed, message: "cannot set the mode of \(path): \(String(cString: strerror(errno)))",
                hint: "check the socket directory")
        }
    }

    private static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }
}
