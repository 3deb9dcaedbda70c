import KeywardCore
import Synchronization

/// Request counters and a latency histogram, rendered in the Prometheus text format. The
/// gauges (versions, ages, waiters, connections) are read at render time from their owners.
public final class MetricsRegistry: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60]

    private struct RequestLabels: Hashable {
        let route: String
        let method: String
        let status: Int

        var text: String { "route=\"\(route)\",method=\"\(method)\",status=\"\(status)\"" }
    }

    /// The slowest answer to a watch woken by a mode's latest publication.
    struct WatchWake: Sendable {
        var revision: Int
        var watchers: Int
        var slowest: Double
    }

    private struct State {
        var wakes: [Mode: WatchWake] = [:]
        var requests: [RequestLabels: Int] = [:]
        var bucketCounts = [Int](repeating: 0, count: MetricsRegistry.buckets.count)
        var latencyCount = 0
        var latencySum = 0.0
    }

    private let state = Mutex(State())

    public init() {}

    /// Counts one answered request.
    public func record(route: String, method: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[RequestLabels(route: route, method: method, status: status), default: 0] += 1
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { state.bucketCounts[index] += 1 }
            state.latencyCount += 1
            state.latencySum += seconds
        }
    }

    /// The counters and the histogram as Prometheus text.
    /// A watch woken by `revision` of `mode` was answered `seconds` after that revision was
    /// published.
    func recordWake(_ mode: Mode, revision: Int, seconds: Double) {
        state.withLock { state in
            guard let wake = state.wakes[mode], wake.revision == revision else {
                state.wakes[mode] = WatchWake(revision: revision, watchers: 1, slowest: seconds)
                return
            }
            state.wakes[mode] = WatchWake(revision: revision, watchers: wake.watchers + 1, slowest: max(wake.slowest, seconds))
        }
    }

    /// The watches woken by each mode's latest publication.
    func wakes() -> [Mode: WatchWake] { state.withLock { $0.wakes } }

    func render() -> String {
        state.withLock { state in
            var lines = [
                "# HELP keyward_requests_total Requests answered, by route, method and status.",
                "# TYPE keyward_requests_total counter",
            ]
            for (labels, count) in state.requests.map({ ($0.key.text, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
                lines.append("keyward_requests_total{\(labels)} \(count)")
            }
            lines.append("# HELP keyward_request_duration_seconds Time from a complete request to its response.")
            lines.append("# TYPE keyward_request_duration_seconds histogram")
            for (index, bound) in Self.buckets.enumerated() {
                lines.append("keyward_request_duration_seconds_bucket{le=\"\(bound)\"} \(state.bucketCounts[index])")
            }
            lines.append("keyward_request_duration_seconds_bucket{le=\"+Inf\"} \(state.latencyCount)")
            lines.append("keyward_request_duration_seconds_sum \(state.latencySum)")
            lines.append("keyward_request_duration_seconds_count \(state.latencyCount)")
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
