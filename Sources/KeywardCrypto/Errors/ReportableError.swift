public import KeywardAPI

/// An error an operator or an integrator can act on.
///
/// Every Keyward domain error conforms, so the socket API, `keywardctl --json` and the logs
/// render the same three fields: a stable machine-readable `code`, a `message` that says
/// what was wrong, and a `hint` that says what to do. None of them ever contains key
/// material.
public protocol ReportableError: Error, CustomStringConvertible, Sendable {
    /// Stable, dotted, machine-readable code, for example `key.too-small`, from a catalog.
    var errorCode: any ErrorCode { get }
    /// What went wrong, in one sentence, for a person.
    var message: String { get }
    /// What to do about it, in one sentence, for a person.
    var hint: String { get }
}

extension ReportableError {
    /// The code as the wire, the logs and the docs write it.
    public var code: String { errorCode.rawValue }

    /// The HTTP status the socket API answers this error with.
    public var status: Int { errorCode.status }

    public var description: String {
        hint.isEmpty ? message : "\(message) (\(hint))"
    }
}
