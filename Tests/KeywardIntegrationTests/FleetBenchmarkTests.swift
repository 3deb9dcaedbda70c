import Foundation
import KeywardAPI
import KeywardCrypto
import KeywardTestSupport
import Testing

/// `scripts/bench fleet`: commit-to-swap lag across three nodes, over many rotations. A
/// measurement, not a check: it runs only when KEYWARD_BENCH_FLEET_ROTATIONS is set.
@Suite("fleet benchmark", .serialized)
struct FleetBenchmarkTests {
    static let rotations = ProcessInfo.processInfo.environment["KEYWARD_BENCH_FLEET_ROTATIONS"].flatMap(Int.init)

    @Test(
        "commit on node a → nodes b and c wake their watchers",
        .enabled(if: rotations != nil, "a measurement for scripts/bench fleet: runs only with KEYWARD_BENCH_FLEET_ROTATIONS set"))
    func commitToSwapLag() async throws {
        try await onOwnThread {
            let rotations = Self.rotations ?? 0
            let fleet = try FleetTests.Fleet()
            for name in ["a", "b", "c"] { try fleet.start(name) }
            let a = fleet.node("a")
            try a.call(Endpoints.setUp, .test, SetUpRequest(pid: "2088101122136241", appID: "2021001100600000"))
            try fleet.commitImport(on: "a", merchant: 220, platform: 221)
            try a.call(Endpoints.activate, .test)
            let platformKeys = [try TestKeys.key(222).publicKey.pem, try TestKeys.key(223).publicKey.pem]
            var lags: [Double] = []
            for round in 0..<rotations {
                // Watchers on b and c, holding the current ETag, before a commits.
                let watchers = try ["b", "c"].map { name -> (Thread, LagBox) in
                    let node = fleet.node(name)
                    _ = try fleet.waitUntil(5) { try fleet.testVersion(name) == round + 1 }
                    let etag = try node.request("GET", "/v1/keysets/test").headers["etag"] ?? ""
                    let box = LagBox()
                    let socket = node.socketPath
                    let thread = Thread {
                        let connection = try? RawHTTP(socketPath: socket)
                        box.ready.signal()
                        let response = try? connection?.exchange("GET", "/v1/keysets/test?wait=10", headers: ["If-None-Match": etag])
                        box.finish(response?.status == 200)
                    }
                    thread.start()
                    box.ready.wait()
                    return (thread, box)
                }
                usleep(20_000)  // the watch requests are parked in the daemons
                try a.call(Endpoints.beginRotation, .test, .generate())
                try a.call(Endpoints.platformKey, .test, PlatformKeyRequest(platformKey: platformKeys[round % 2]))
                try a.call(Endpoints.commit, .test)
                let committed = Date()
                for (_, box) in watchers {
                    let woke = try box.wait()
                    lags.append(max(0, woke.timeIntervalSince(committed)) * 1000)
                }
            }
            lags.sort()
            let median = lags[lags.count / 2]
            let p99 = lags[min(lags.count - 1, Int(Double(lags.count) * 0.99))]
            print(
                String(
                    format: "BENCH fleet_commit_to_swap_ms rotations=%d samples=%d median=%.2f p99=%.2f max=%.2f", rotations, lags.count,
                    median, p99, lags.last ?? 0))
        }
    }
}

/// When a watcher's answer came, set by its thread.
private final class LagBox: @unchecked Sendable {
    let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var woke: Date?
    private var ok = false

    func finish(_ ok: Bool) {
        woke = Date()
        self.ok = ok
        done.signal()
    }

    func wait() throws -> Date {
        guard done.wait(timeout: .now() + 15) == .success, ok, let woke else {
            throw TestSupportError("a watcher did not see the commit")
        }
        return woke
    }
}
