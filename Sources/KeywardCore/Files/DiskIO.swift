import Dispatch

/// Blocking disk work (a vault save with its fsyncs, an audit append) on a thread of its own,
/// off Swift's cooperative pool: a slow or stalled disk then holds up only what waits for the
/// disk, never the tasks that serve reads, sign or time out connections.
///
/// One serial queue: the vault's writes are one at a time anyway (`Vault.oneAtATime`), and a
/// second writer (the audit log of a refused peer) simply waits its turn.
public enum DiskIO {
    private static let queue = DispatchQueue(label: "keyward.disk-io", qos: .utility)

    /// Runs `work` on the disk thread and returns its result to the caller's task.
    public static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }
}
