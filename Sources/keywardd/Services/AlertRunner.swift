import Foundation
import Glibc
import KeywardAPI
import KeywardConfiguration
import Logging
import Synchronization

/// Runs the `[alerts] exec` program for a lifecycle item: no shell, the item as JSON on
/// standard input, `KEYWARD_ALERT_MODE`, `_KIND` and `_STATE` in its environment, killed after
/// the timeout. A failure (exit status not 0, a timeout, a program that cannot start) is
/// logged and retried after 2, 4, 8 and 16 s; deliveries run one at a time, off the serving
/// path.
actor AlertRunner {
    static let retryDelays: [Duration] = [.seconds(2), .seconds(4), .seconds(8), .seconds(16)]

    private let logger: Logger
    private let retryDelays: [Duration]

    init(logger: Logger, retryDelays: [Duration] = AlertRunner.retryDelays) {
        self.logger = logger
        self.retryDelays = retryDelays
    }

    /// Delivers `item` in the background.
    nonisolated func send(_ item: LifecycleItem, settings: AlertSettings) {
        Task { await deliver(item, settings: settings) }
    }

    /// Runs the hook until it succeeds or the retries are spent; returns whether it succeeded.
    @discardableResult
    func deliver(_ item: LifecycleItem, settings: AlertSettings) async -> Bool {
        guard !settings.command.isEmpty, let input = try? APIJSON.encoder().encode(item) else { return false }
        for attempt in 0...retryDelays.count {
            if attempt > 0 { try? await Task.sleep(for: retryDelays[attempt - 1]) }
            let outcome = await Self.run(settings.command, input: input, item: item, timeout: settings.timeout)
            if outcome == nil {
                logger.info(
                    "alert hook ran for \(item.mode) \(item.kind.rawValue) (\(item.state))",
                    metadata: ["keyward.mode": "\(item.mode)", "keyward.lifecycle_state": "\(item.state)"])
                return true
            }
            logger.error(
                "alert hook \(settings.command[0]) failed (attempt \(attempt + 1) of \(retryDelays.count + 1)): \(outcome!)",
                metadata: ["keyward.mode": "\(item.mode)"])
        }
        return false
    }

    /// Runs the program once; nil on success, else what went wrong.
    static func run(_ command: [String], input: Data, item: LifecycleItem, timeout: Duration) async -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]
        environment["KEYWARD_ALERT_MODE"] = item.mode.rawValue
        environment["KEYWARD_ALERT_KIND"] = item.kind.rawValue
        environment["KEYWARD_ALERT_STATE"] = item.state.rawValue
        process.environment = environment
        let standardInput = Pipe()
        process.standardInput = standardInput
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exited = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        do {
            try process.run()
        } catch {
            return "cannot start it: \(error.localizedDescription)"
        }
        try? standardInput.fileHandleForWriting.write(contentsOf: input)
        try? standardInput.fileHandleForWriting.close()
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGTERM)
            try await Task.sleep(for: .seconds(2))
            kill(pid, SIGKILL)
        }
        var iterator = exited.stream.makeAsyncIterator()
        let status = await iterator.next() ?? -1
        watchdog.cancel()
        if process.terminationReason == .uncaughtSignal {
            return "ended by signal \(status) (it is killed when it runs longer than \(timeout))"
        }
        return status == 0 ? nil : "exit status \(status)"
    }
}
