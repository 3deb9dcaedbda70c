/// An error an operator or an integrator can act on.
///
/// Every Keyward domain error conforms, so the socket API, `keywardctl --json` and the logs
/// render the same three fields: a stable machine-readable `code`, a `message` that says
/// what was wrong, and a `hint` that says what to do. None of them ever contains key
/// material.
public protocol ReportableError: Error, CustomStringConvertible, Sendable {
    /// Stable, dotted, machine-readable identifier, for example `key.too-small`.
    var code: String { get }
    /// What went wrong, in one sentence, for a person.
    var message: String { get }
    /// What to do about it, in one sentence, for a person.
    var hint: String { get }
}

extension ReportableError {
    public var description: String {
        hint.isEmpty ? message : "\(message) (\(hint))"
    }
}
