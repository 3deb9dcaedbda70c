/// `[alerts]`: a program run (without a shell) when a lifecycle item changes state, with the
/// item as JSON on standard input.
public struct AlertSettings: Sendable, Equatable {
    /// The program and its arguments; empty: no hook.
    public var command: [String] = []
    /// How long one run may take before it is killed (and retried).
    public var timeout: Duration = .seconds(10)

    public init(command: [String] = [], timeout: Duration = .seconds(10)) {
        self.command = command
        self.timeout = timeout
    }
}
