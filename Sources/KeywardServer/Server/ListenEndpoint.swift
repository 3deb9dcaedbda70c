/// Where the server listens.
public enum ListenEndpoint: Sendable, Equatable {
    /// Bind this path (mode 0660 by default), removing a stale socket file first.
    case path(String, permissions: UInt32 = 0o660, group: UInt32? = nil)
    /// Serve the listening socket systemd passed (socket activation).
    case inherited(descriptor: Int32)
}
