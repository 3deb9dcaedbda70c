public import KeywardCore

/// Who may do what in each mode, from the configuration's `[mode.test]` and `[mode.live]`
/// tables. The daemon's own uid and root are operators of both modes (root can read the
/// vault and its key anyway).
public struct AccessPolicy: Sendable, Equatable {
    /// A user or a group, resolved to its numeric id when the configuration is read.
    public enum Principal: Sendable, Hashable {
        case user(UInt32)
        case group(UInt32)
    }

    /// The grants and the export policy of one mode.
    public struct ModeAccess: Sendable, Equatable {
        public var readers: Set<Principal>
        public var signers: Set<Principal>
        public var operators: Set<Principal>
        /// Whether readers of this mode get the merchant private key in the key set.
        public var exportPrivateKey: Bool
        /// How many operators (different uids) a commit, rollback, activation or deactivation
        /// of this mode needs: 1, or 2 for two-person control.
        public var approvals: Int = 1
        /// How long a request waits for its second operator.
        public var approvalWindow: Duration = .seconds(3600)

        public init(readers: Set<Principal> = [], signers: Set<Principal> = [], operators: Set<Principal> = [], exportPrivateKey: Bool) {
            self.readers = readers
            self.signers = signers
            self.operators = operators
            self.exportPrivateKey = exportPrivateKey
        }
    }

    public var test: ModeAccess
    public var live: ModeAccess
    public var daemonUID: UInt32

    public init(test: ModeAccess, live: ModeAccess, daemonUID: UInt32) {
        self.test = test
        self.live = live
        self.daemonUID = daemonUID
    }

    public subscript(mode: Mode) -> ModeAccess { mode == .test ? test : live }

    /// The role of a process with `uid` and `groups` (its primary and supplementary groups)
    /// in `mode`, or nil if it has none.
    public func role(uid: UInt32, groups: Set<UInt32>, in mode: Mode) -> Role? {
        if uid == daemonUID || uid == 0 { return .operator }
        let access = self[mode]
        func granted(_ principals: Set<Principal>) -> Bool {
            principals.contains(.user(uid)) || groups.contains { principals.contains(.group($0)) }
        }
        if granted(access.operators) { return .operator }
        if granted(access.signers) { return .signer }
        if granted(access.readers) { return .reader }
        return nil
    }
}
