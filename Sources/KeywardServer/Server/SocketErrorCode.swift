public import KeywardAPI

/// The codes of `SocketError`: The listening socket (docs/api.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum SocketErrorCode: String, ErrorCode, CaseIterable {
    case chmodFailed = "socket.chmod-failed"
    case chownFailed = "socket.chown-failed"
    case inUse = "socket.in-use"
    case inheritedNotUnix = "socket.inherited-not-unix"
    case notASocket = "socket.not-a-socket"

    public var status: Int {
        500
    }
}
