import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardServer
import KeywardServerTestSupport
import KeywardTestSupport
import NIOCore
import Testing

/// What comes due, where people look: /v1/health's warnings, /v1/status's lifecycle, the
/// metrics gauges, and the Prometheus rules shipped beside them.
@Suite("lifecycle in health, status and metrics")
struct LifecycleRoutesTests {
    static let operatorPeer = RouterFixture.peer(RouterFixture.daemonUID)

    @Test("an overdue key set: health stays 200 with a warning, status and metrics say overdue")
    func overdue() async throws {
        let fixture = try await RouterFixture.make(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false))
        let before = await fixture.respond("GET", "/v1/health", as: Self.operatorPeer)
        _ = await fixture.service.refreshLifecycle()
        #expect(try JSONDecoder().decode(HealthAnswer.self, from: Data(Array(buffer: before.body))).warnings.isEmpty)

        fixture.vaultDirectory.clock.advance(by: 400 * 86_400)
        _ = await fixture.service.refreshLifecycle()
        let health = await fixture.respond("GET", "/v1/health", as: Self.operatorPeer)
        #expect(health.status == 200)
        let answer = try APIJSON.decoder().decode(HealthAnswer.self, from: Data(Array(buffer: health.body)))
        #expect(answer.warnings.map(\.state) == [.overdue] && answer.warnings.first?.mode == .test)

        let status = await fixture.respond("GET", "/v1/status", as: Self.operatorPeer)
        let modes = try APIJSON.decoder().decode(StatusAnswer.self, from: Data(Array(buffer: status.body))).modes
        #expect(modes[.test]?.lifecycle.state == .overdue)
        #expect(modes[.live]?.lifecycle.items.isEmpty == true)

        let metrics = String(buffer: await fixture.respond("GET", "/metrics", as: Self.operatorPeer).body)
        #expect(metrics.contains("keyward_lifecycle_state{mode=\"test\"} 2"))
        #expect(metrics.contains("keyward_lifecycle_state{mode=\"live\"} 0"))
        #expect(metrics.contains("keyward_rotation_due_timestamp_seconds{mode=\"test\"} "))
    }

    @Test("the shipped Prometheus rules use only metrics keywardd exports (and promtool accepts them where it is installed)")
    func alertRules() async throws {
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../etc/keyward/alerts.example.yml"
        )
        .standardized
        let text = try String(contentsOf: rules, encoding: .utf8)
        let fixture = try await RouterFixture.make(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false))
        _ = try await fixture.service.apply(
            .beginGenerate(key: try TestKeys.key(60)), to: .test, by: Self.operatorPeer)
        let metrics = String(buffer: await fixture.respond("GET", "/metrics", as: Self.operatorPeer).body)
        let exported = Set(
            metrics.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: "{").first.map(String.init) })
        var used: Set<String> = []
        for line in text.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("expr:") {
            var rest = Substring(line)
            while let range = rest.range(of: "keyward_") {
                let name = rest[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                used.insert(String(name))
                rest = rest[name.endIndex...]
            }
        }
        #expect(used.count >= 3)
        #expect(used.subtracting(exported).isEmpty, "rules use metrics keywardd does not export: \(used.subtracting(exported).sorted())")
        if let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }
        ) {
            let checked = try ProcessRunner.run(promtool, ["check", "rules", rules.path])
            #expect(checked.status == 0, "\(checked.output) \(checked.standardError)")
        }
    }
}
