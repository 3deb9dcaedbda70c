import Foundation

/// Runs blocking work (socket reads, waiting for a process) on a thread of its own, so it
/// cannot starve Swift's cooperative pool (two threads on a two-core machine).
///
/// The work runs in a task (not a bare thread) that prefers an executor with a thread of its
/// own; a task created with `Task {}` carries the caller's task-locals, so an `#expect` or
/// `Issue.record` inside lands on the test that called, not on "unknown".
public func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    let executor = OwnThreadExecutor()
    defer { executor.stop() }
    return try await Task(executorPreference: executor) { try work() }.value
}

/// A task executor with one thread of its own, which runs the jobs given to it in order.
final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
    // `jobs` and `stopped` are guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "keyward-tests-blocking"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
