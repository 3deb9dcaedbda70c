import Foundation
import KeywardTestSupport
import Testing

/// keywardd under a real systemd booted as PID 1 of new namespaces (scripts/systemd-test):
/// the docs' install and first-setup steps, socket activation, STATUS, reload, the watchdog
/// restart and a stop that leaves the vault intact. Where the machine cannot boot systemd
/// that way, the test prints the exact reason and passes without running.
@Suite("under a real systemd")
struct RealSystemdTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/systemd-test")
        .standardized.path

    @Test("install, socket activation, STATUS, reload, watchdog restart and stop, as systemd runs them")
    func underSystemd() throws {
        let result = try ProcessRunner.run("bash", [Self.script, ProcessRunner.productsDirectory])
        if result.status == 77 {
            print("real-systemd test skipped: \(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
            return
        }
        for line in result.output.split(separator: "\n") where line.hasPrefix("ok:") || line.hasPrefix("systemd-container:") {
            print("real systemd: \(line)")
        }
        #expect(
            result.status == 0,
            "scripts/systemd-test failed (\(result.status)):\n\(result.output.suffix(4000))\n\(result.standardError.suffix(6000))")
        #expect(result.output.contains("ok: all steps passed"))
    }
}
