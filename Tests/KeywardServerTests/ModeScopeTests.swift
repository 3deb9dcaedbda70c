import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardServer
import KeywardServerTestSupport
import KeywardTestSupport
import NIOCore
import Testing

/// A peer sees of status, metrics and the audit log only the modes it holds a role in.
@Suite("what an operator of one mode sees")
struct ModeScopeTests {
    static let testOperator = RouterFixture.peer(4103)
    static let daemon = RouterFixture.peer(RouterFixture.daemonUID)

    @Test("an operator of test only: no live audit entries (those of no mode, yes), no live metrics, no live status line")
    func scoped() async throws {
        let fixture = try await RouterFixture.make(
            test: .init(operators: [.user(4103)], exportPrivateKey: false), live: .init(exportPrivateKey: false))
        // Live mode has a history of its own, and a stranger was refused (an entry of no mode).
        _ = try await fixture.service.apply(
            .editAccount(.setting(try TestKeys.account(.live))), to: .live, by: Self.daemon)
        _ = try await fixture.service.apply(.beginGenerate(key: try TestKeys.key(99)), to: .live, by: Self.daemon)
        await fixture.router.connectionRefused(RouterFixture.peer(4999))

        let all = try APIJSON.decoder().decode(
            AuditAnswer.self, from: Data(Array(buffer: await fixture.respond("GET", "/v1/audit", as: Self.daemon).body)))
        #expect(all.entries.contains { $0.mode == .live } && all.entries.contains { $0.mode == nil })
        let mine = try APIJSON.decoder().decode(
            AuditAnswer.self, from: Data(Array(buffer: await fixture.respond("GET", "/v1/audit", as: Self.testOperator).body)))
        #expect(!mine.entries.isEmpty && mine.entries.allSatisfy { $0.mode != .live }, "\(mine.entries.map(\.action))")
        #expect(
            mine.entries.contains { $0.mode == nil && $0.actor.uid == 4999 }, "a refused connection is a host event every operator sees")

        let metrics = String(buffer: await fixture.respond("GET", "/metrics", as: Self.testOperator).body)
        #expect(metrics.contains("mode=\"test\"") && !metrics.contains("mode=\"live\""))
        let status = try APIJSON.decoder().decode(
            StatusAnswer.self, from: Data(Array(buffer: await fixture.respond("GET", "/v1/status", as: Self.testOperator).body)))
        #expect(status.modes[.live] == nil && !status.statusLine.contains("live"), "\(status.statusLine)")
        let full = try APIJSON.decoder().decode(
            StatusAnswer.self, from: Data(Array(buffer: await fixture.respond("GET", "/v1/status", as: Self.daemon).body)))
        #expect(full.statusLine.contains("live rotation"))
    }

    @Test("a peer with no role that connects 200 times and sends requests adds one audit entry a minute, not hundreds")
    func refusalsAggregated() async throws {
        let fixture = try await RouterFixture.make(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false))
        let stranger = RouterFixture.peer(4998)
        let before = try await fixture.service.auditEntries(last: 10_000).count
        for _ in 0..<200 {
            await fixture.router.connectionRefused(stranger)
            #expect(await fixture.respond("GET", "/v1/keysets/test", as: stranger).status == 403)
        }
        let added = try await fixture.service.auditEntries(last: 10_000).dropFirst(before)
        #expect(added.count == 1, "\(added.map { "\($0.action) \($0.record.detail ?? "")" })")
        #expect(added.first?.actor.uid == 4998 && added.first?.outcome == "refused")
        // A peer with a role that asks for more is still recorded each time.
        let reader = RouterFixture.peer(4101)
        let withReader = try await RouterFixture.make(
            test: .init(readers: [.user(4101)], exportPrivateKey: false), live: .init(exportPrivateKey: false))
        let start = try await withReader.service.auditEntries(last: 10_000).count
        for _ in 0..<3 { _ = await withReader.respond("POST", "/v1/modes/test/activate", as: reader) }
        #expect(try await withReader.service.auditEntries(last: 10_000).count == start + 3)
    }
}
