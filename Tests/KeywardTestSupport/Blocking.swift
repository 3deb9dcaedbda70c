import Foundation

/// Runs blocking work (socket reads, waiting for a process) on a thread of its own, so it
/// cannot starve Swift's cooperative pool (two threads on a two-core machine) while other
/// tests run in parallel.
public func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result { try work() })
        }.start()
    }
}
