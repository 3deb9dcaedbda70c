import CKeywardLinux
import Foundation
import Synchronization

/// A fixed pool of threads, one per core, for RSA signing: a sign request goes from its event
/// loop to a pool thread and back to the loop, with no hop through Swift's concurrency pool.
///
/// Scheduling rule: the pool threads run at nice 5. When the CPU is short, the kernel gives
/// the event loops (nice 0) about three times their weight, so reads and watches are answered
/// first and signing absorbs the wait; when it is idle, signing gets all of it. A signing
/// thread never runs on an event loop, so a burst of signatures cannot block one.
public final class SigningPool: Sendable {
    private let queue = Jobs()

    /// `threads` nil: one per core.
    public init(threads: Int? = nil, nice: Int32 = 5, name: String = "keyward-sign") {
        for index in 0..<max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) {
            let threadName = "\(name)-\(index)"
            let thread = Thread { [queue] in
                // The name `top -H` and `ps -L` show (Foundation's name does not reach the kernel).
                _ = CKeywardLinux_setThreadName(threadName)
                // Refused only where setpriority is filtered; signing then runs at normal priority.
                _ = CKeywardLinux_setThreadNice(nice)
                while let job = queue.next() { job() }
            }
            thread.name = threadName
            thread.start()
        }
    }

    /// Runs `job` on a pool thread.
    public func submit(_ job: @escaping @Sendable () -> Void) { queue.add(job) }

    /// Jobs in arrival order, taken by whichever thread is free.
    private final class Jobs: Sendable {
        private let jobs = Mutex<[(@Sendable () -> Void)]>([])
        private let available = DispatchSemaphore(value: 0)

        func add(_ job: @escaping @Sendable () -> Void) {
            jobs.withLock { $0.append(job) }
            available.signal()
        }

        func next() -> (@Sendable () -> Void)? {
            available.wait()
            return jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        }
    }
}
