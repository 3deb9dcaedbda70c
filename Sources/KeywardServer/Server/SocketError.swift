public import KeywardCrypto

/// Errors of the listening socket: its path, its owner, an inherited descriptor.
public enum SocketErrorDomain: ErrorDomain {
    public typealias Code = SocketErrorCode
    public static let name = "socket"
}

/// keywardd cannot listen where it was told to. Names the path and what to change.
public typealias SocketError = KeywardError<SocketErrorDomain>
