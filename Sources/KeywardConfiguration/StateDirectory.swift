public import Foundation

/// keywardd's state directory (`[daemon] state_directory`): the vault file or, in a fleet, its
/// local copy; the audit log; and new master keys a rekey writes. Every path under it is
/// decided here, from the configuration, never from where the vault store happens to be (a
/// fleet's store is a database URL, not a directory).
public struct StateDirectory: Sendable, Equatable {
    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    /// The audit log.
    public var auditLog: String { "\(path)/audit.log" }

    /// Where a rekey at `date` writes the new master key (mode 0600), for the operator to seal
    /// into a credential and then delete.
    public func newMasterKeyFile(at date: Date) -> String {
        "\(path)/master-key-\(Int(date.timeIntervalSince1970)).new"
    }
}
