/// A stable, dotted error code, as the error tables of the docs name it, and the HTTP status
/// the socket API answers it with.
///
/// Each domain has one catalog: an enum of its codes (`CryptoErrorCode`, `VaultErrorCode`,
/// …), so code branches on `error.kind == .conflict`, never on a string.
public protocol ErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The code as it appears on the wire, in logs and in the docs: `vault.locked`.
    var rawValue: String { get }
    /// The HTTP status of an answer with this code.
    var status: Int { get }
}

extension ErrorCode {
    public var description: String { rawValue }
}
