import Foundation
import KeywardTestSupport
import Testing

/// keywardd under a real systemd booted as PID 1 of new namespaces (scripts/systemd-test):
/// the docs' install and first-setup steps, socket activation, STATUS, reload, the watchdog
/// restart and a stop that leaves the vault intact; then payment services under their own
/// units, a non-root operator, a refused service and a fleet node on a local PostgreSQL.
/// Where the machine cannot boot systemd that way, the test is cancelled (shown as skipped)
/// with the exact reason.
@Suite("under a real systemd")
struct RealSystemdTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/systemd-test")
        .standardized.path

    @Test(
        "install, socket activation, STATUS, reload, watchdog restart and stop; payment services, a non-root operator and a fleet node under their units"
    )
    func underSystemd() throws {
        let result = try ProcessRunner.run("bash", [Self.script, ProcessRunner.productsDirectory])
        if result.status == 77 {
            try Test.cancel("real-systemd test skipped: \(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        for line in result.output.split(separator: "\n") where line.hasPrefix("ok:") || line.hasPrefix("systemd-container:") {
            print("real systemd: \(line)")
        }
        #expect(
            result.status == 0,
            "scripts/systemd-test failed (\(result.status)):\n\(result.output.suffix(4000))\n\(result.standardError.suffix(6000))")
        #expect(result.output.contains("ok: all steps passed"))
        #expect(result.output.contains("ok: all payment-service steps passed"))
    }
}
