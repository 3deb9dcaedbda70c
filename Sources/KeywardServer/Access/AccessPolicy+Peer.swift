public import KeywardConfiguration
public import KeywardCore

extension AccessPolicy {
    /// The peer's role in `mode`, or nil if it has none.
    public func role(of peer: Peer, in mode: Mode) -> Role? {
        role(uid: peer.uid, groups: peer.groups, in: mode)
    }

    /// Whether the peer has any role in any mode.
    public func knows(_ peer: Peer) -> Bool {
        Mode.allCases.contains { role(of: peer, in: $0) != nil }
    }

    /// A 403 for `peer`, naming its uid and what it lacks.
    static func refusal(_ peer: Peer, needs role: Role, in mode: Mode?) -> APIError {
        APIError(
            code: .authForbidden,
            message: "uid \(peer.uid) is not \(role == .operator ? "an" : "a") \(role)\(mode.map { " of \($0) mode" } ?? "")",
            hint:
                "grant it in the configuration ([mode.\(mode?.rawValue ?? "test")] \(role)s = [\"user:NAME\"] or [\"group:NAME\"]) and reload keywardd"
        )
    }
}
