import Foundation
import KeywardServer
import Testing

/// The low-priority worker that rotations use for key generation and full key checks.
@Suite("the background worker")
struct BackgroundWorkerTests {
    struct Refused: Error {}

    @Test("runs jobs one at a time on a thread at nice 19, and hands back results and errors")
    func runsAtLowestPriority() async throws {
        let worker = BackgroundWorker(name: "keyward-test-worker")
        let nice = try await worker.run { () -> Int in
            // Field 19 of /proc/thread-self/stat is the thread's nice value.
            let stat = (try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)) ?? ""
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            return fields.count > 16 ? Int(fields[16]) ?? -100 : -100
        }
        #expect(nice == 19)

        // Twenty jobs submitted at once still run one at a time.
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await worker.run {
                        tally.enter()
                        usleep(1000)
                        tally.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(tally.finished == 20 && tally.mostAtOnce == 1)

        await #expect(throws: Refused.self) { try await worker.run { throw Refused() } }
        #expect(try await worker.run { 42 } == 42, "an error in one job does not stop the worker")
    }

    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private var most = 0
        private var done = 0

        func enter() {
            lock.withLock {
                running += 1
                most = max(most, running)
            }
        }

        func leave() {
            lock.withLock {
                running -= 1
                done += 1
            }
        }

        var mostAtOnce: Int { lock.withLock { most } }
        var finished: Int { lock.withLock { done } }
    }
}
