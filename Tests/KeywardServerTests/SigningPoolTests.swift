import Foundation
import Glibc
import KeywardServer
import Synchronization
import Testing

/// The signing pool: every job runs, on threads of its own below the event loops' priority.
@Suite("the signing pool")
struct SigningPoolTests {
    final class Record: Sendable {
        let niceness = Mutex<Set<Int32>>([])
    }

    @Test("all jobs run, on the pool's threads at nice 5 (the caller's is at 0)")
    func runsEveryJobBelowTheLoops() {
        let pool = SigningPool(threads: 2, name: "test-sign")
        let record = Record()
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<200 {
            pool.submit {
                let nice = Self.threadNice()
                record.niceness.withLock { _ = $0.insert(nice) }
                finished.signal()
            }
        }
        var ran = 0
        for _ in 0..<200 where finished.wait(timeout: .now() + 30) == .success { ran += 1 }
        #expect(ran == 200)
        // Nice 5 on every job: they ran on the pool's threads (this test's thread is at 0).
        #expect(Self.threadNice() == 0)
        #expect(record.niceness.withLock { $0 } == [5])
    }

    /// The calling thread's nice value, from /proc/thread-self/stat (field 19).
    static func threadNice() -> Int32 {
        guard let text = try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8),
            let close = text.range(of: ") ", options: .backwards)
        else { return -100 }
        let fields = text[close.upperBound...].split(separator: " ")
        return fields.count > 16 ? Int32(fields[16]) ?? -100 : -100
    }
}
