/// What a peer did that the audit log records without a change to the vault: the words
/// written to the log, named once. (Vault changes are recorded by `Vault.apply` with the
/// command's own name.)
public enum AuditAccess: Sendable, Equatable {
    /// A connection from a peer with no role in any mode.
    case connect
    /// A request refused for lack of a role: its method and path.
    case request(method: String, path: String)
    /// A read that handed out the merchant private key.
    case exportPrivateKey
    /// Two-person control: an operator asked for an action that needs a second operator.
    case requestApproval
    /// Two-person control: the second operator approved (the action follows at once).
    case approve
    /// Two-person control: an operator rejected a request.
    case reject

    /// The action as the log writes it (the audit log format stays as it was).
    public var action: String {
        switch self {
        case .connect: "connect"
        case .request(let method, let path): "\(method) \(path)"
        case .exportPrivateKey: "export-private-key"
        case .requestApproval: "request-approval"
        case .approve: "approve"
        case .reject: "reject"
        }
    }
}

/// How a recorded access ended, as the log writes it.
public enum AuditOutcome: String, Sendable, Equatable {
    case ok
    case refused
}
