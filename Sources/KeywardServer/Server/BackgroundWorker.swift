import CKeywardLinux
import Foundation
import Synchronization

/// One thread at the lowest CPU priority (nice 19) for the rare, heavy key work of a
/// rotation: generating a key pair and OpenSSL's full check of an uploaded private key take
/// tens of milliseconds of CPU each. On a small host that would come out of the event
/// loops' share and show up as latency for every payment service reading or signing; at
/// nice 19 the kernel gives the loops the CPU first and the rotation waits a little instead.
///
/// Jobs run one at a time, in order; the thread ends when the worker is released.
public final class BackgroundWorker: Sendable {
    private let queue = JobQueue()

    public init(name: String) {
        let thread = Thread { [queue] in
            _ = CKeywardLinux_setThreadName(name)  // what top -H shows
            // Refused only where setpriority is filtered; the work still runs, at normal priority.
            _ = CKeywardLinux_setThreadNice(19)
            while let job = queue.next() { job() }
        }
        thread.name = name
        thread.start()
    }

    deinit { queue.add(nil) }

    /// Runs `work` on the worker thread and returns its result.
    public func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.add { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Jobs in arrival order; nil ends the thread.
    private final class JobQueue: Sendable {
        private let jobs = Mutex<[(@Sendable () -> Void)?]>([])
        private let available = DispatchSemaphore(value: 0)

        func add(_ job: (@Sendable () -> Void)?) {
            jobs.withLock { $0.append(job) }
            available.signal()
        }

        /// Waits for the next job; nil when the worker was released.
        func next() -> (@Sendable () -> Void)? {
            available.wait()
            return jobs.withLock { $0.removeFirst() }
        }
    }
}
