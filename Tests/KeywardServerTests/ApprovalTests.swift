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

/// Two-person control: with `approvals = 2`, what changes what services get is a request
/// until another operator approves it.
@Suite("two-person control")
struct ApprovalTests {
    static let first = RouterFixture.peer(4103)
    static let second = RouterFixture.peer(4104)

    static func fixture() async throws -> RouterFixture {
        var test = AccessPolicy.ModeAccess(operators: [.user(4103), .user(4104)], exportPrivateKey: false)
        test.approvals = 2
        return try await RouterFixture.make(test: test, live: .init(exportPrivateKey: false))
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ response: HTTPResponse) throws -> Value {
        try APIJSON.decoder().decode(type, from: Data(Array(buffer: response.body)))
    }

    static func decision(_ id: String) -> [UInt8] { Array(#"{"id":"\#(id)"}"#.utf8) }

    @Test("a request waits; its own operator cannot approve it; another can, and the action happens then, audited with both uids")
    func approveByAnother() async throws {
        let fixture = try await Self.fixture()
        let asked = await fixture.respond("POST", "/v1/modes/test/deactivate", as: Self.first)
        #expect(asked.status == 202)
        let request = try Self.decode(ApprovalStatus.self, asked)
        #expect(request.action == "deactivate" && request.requestedByUID == 4103)
        #expect(fixture.service.board.current(.test).isServed, "nothing changes before the approval")
        let listed = try Self.decode(ApprovalList.self, await fixture.respond("GET", "/v1/modes/test/approvals", as: Self.second))
        #expect(listed.approvals.map(\.id) == [request.id])

        let own = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(request.id), as: Self.first)
        #expect(own.status == 403 && String(buffer: own.body).contains("approval.same-operator"))
        let approved = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(request.id), as: Self.second)
        #expect(approved.status == 200, "\(String(buffer: approved.body))")
        #expect(!fixture.service.board.current(.test).isServed)
        let entries = try await fixture.service.auditEntries(last: 3)
        #expect(entries.map(\.action) == ["request-approval", "approve", "deactivate"])
        #expect(entries.map(\.actor.uid) == [4103, 4104, 4104])
        #expect(entries[1].record.detail?.contains("of uid 4103, approved by uid 4104") == true)
        let again = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(request.id), as: Self.second)
        #expect(again.status == 404, "a request is approved once")
    }

    @Test("an expired request, a rejected one, and one whose precondition went away are refused; abort needs no approval")
    func refusals() async throws {
        let fixture = try await Self.fixture()
        let expiring = try Self.decode(ApprovalStatus.self, await fixture.respond("POST", "/v1/modes/test/deactivate", as: Self.first))
        fixture.vaultDirectory.clock.advance(by: 3601)
        let late = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(expiring.id), as: Self.second)
        #expect(late.status == 409 && String(buffer: late.body).contains("approval.expired"))

        let rejected = try Self.decode(ApprovalStatus.self, await fixture.respond("POST", "/v1/modes/test/deactivate", as: Self.first))
        #expect(await fixture.respond("POST", "/v1/modes/test/reject", body: Self.decision(rejected.id), as: Self.first).status == 200)
        #expect(await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(rejected.id), as: Self.second).status == 404)

        // A commit asked for while nothing is pending: the approval runs it, and it fails as it would have.
        let commit = try Self.decode(ApprovalStatus.self, await fixture.respond("POST", "/v1/modes/test/rotation/commit", as: Self.first))
        let failed = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(commit.id), as: Self.second)
        #expect(failed.status == 404 && String(buffer: failed.body).contains("rotation.none-pending"))

        _ = try await fixture.service.apply(.beginGenerate(key: try TestKeys.key(95)), to: .test, by: Self.first)
        #expect(await fixture.respond("POST", "/v1/modes/test/rotation/abort", as: Self.first).status == 200, "abort serves nothing new")
        #expect(fixture.service.board.current(.test).isServed)
    }

    @Test("a reader cannot approve; a commit whose rotation was aborted meanwhile fails at the approval and changes nothing")
    func roleAndChangedPrecondition() async throws {
        var test = AccessPolicy.ModeAccess(readers: [.user(4105)], operators: [.user(4103), .user(4104)], exportPrivateKey: false)
        test.approvals = 2
        let fixture = try await RouterFixture.make(test: test, live: .init(exportPrivateKey: false))
        _ = try await fixture.service.apply(
            .beginOneClick(privateKey: try TestKeys.key(96), platformKey: try TestKeys.key(97).publicKey), to: .test, by: Self.first)
        let commit = try Self.decode(ApprovalStatus.self, await fixture.respond("POST", "/v1/modes/test/rotation/commit", as: Self.first))
        let reader = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(commit.id), as: RouterFixture.peer(4105))
        #expect(reader.status == 403 && String(buffer: reader.body).contains("auth.forbidden"))
        #expect(await fixture.respond("POST", "/v1/modes/test/rotation/abort", as: Self.first).status == 200)
        let approved = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(commit.id), as: Self.second)
        #expect(approved.status == 404 && String(buffer: approved.body).contains("rotation.none-pending"))
        #expect(await fixture.service.contents().test.current?.version == 1, "v1 still served: the aborted rotation was not committed")
    }

    @Test(
        "export_private_key under two-person control: no key until a second operator (not root, who owns the file) approves; off withdraws it"
    )
    func exportNeedsApproval() async throws {
        var test = AccessPolicy.ModeAccess(readers: [.user(4105)], operators: [.user(4103), .user(4104)], exportPrivateKey: true)
        test.approvals = 2
        let fixture = try await RouterFixture.make(test: test, live: .init(exportPrivateKey: false))
        func document() async throws -> KeySetDocument {
            try Self.decode(KeySetDocument.self, await fixture.respond("GET", "/v1/keysets/test", as: RouterFixture.peer(4105)))
        }
        #expect(try await document().merchantPrivateKey == nil, "configured, not approved: no key")
        await fixture.service.reconcileExportApprovals()
        let waiting = try Self.decode(ApprovalList.self, await fixture.respond("GET", "/v1/modes/test/approvals", as: Self.first))
        let request = try #require(waiting.approvals.first)
        #expect(waiting.approvals.count == 1 && request.action == "export-private-key-on" && request.requestedByUID == 0)
        await fixture.service.reconcileExportApprovals()
        let again = try Self.decode(ApprovalList.self, await fixture.respond("GET", "/v1/modes/test/approvals", as: Self.first))
        #expect(again.approvals.count == 1, "filed once")
        let byRoot = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(request.id), as: RouterFixture.peer(0))
        #expect(byRoot.status == 403 && String(buffer: byRoot.body).contains("approval.same-operator"))
        let approved = await fixture.respond("POST", "/v1/modes/test/approve", body: Self.decision(request.id), as: Self.second)
        #expect(approved.status == 200, "\(String(buffer: approved.body))")
        #expect(try await document().merchantPrivateKey != nil, "approved: the key is served")
        #expect(await fixture.service.contents().test.exportApproval?.requestedByUID == 0)

        // The configuration turns export off: the approval goes, so on again needs a new one.
        var off = fixture.service.currentSettings
        off.access.test.exportPrivateKey = false
        await fixture.service.reload(off)
        #expect(await fixture.service.contents().test.exportApproval == nil)
        var on = off
        on.access.test.exportPrivateKey = true
        await fixture.service.reload(on)
        #expect(try await document().merchantPrivateKey == nil)
        let actions = try await fixture.service.auditEntries(last: 20).map(\.action)
        #expect(actions.contains("export-private-key-on") && actions.contains("export-private-key-off"))
    }

    @Test("a vault rekey under two-person control waits for a second operator, who gets the new key's file")
    func rekeyNeedsApproval() async throws {
        var live = AccessPolicy.ModeAccess(operators: [.user(4103), .user(4104), .user(4106)], exportPrivateKey: false)
        live.approvals = 2
        let both = AccessPolicy.ModeAccess(operators: [.user(4103), .user(4104)], exportPrivateKey: false)
        let fixture = try await RouterFixture.make(test: both, live: live)
        let asked = await fixture.respond("POST", "/v1/vault/rekey", as: Self.first)
        #expect(asked.status == 202)
        let request = try Self.decode(ApprovalStatus.self, asked)
        #expect(request.mode == .live && request.action == "rekey")
        // An operator of live only may not approve what changes both modes; the request stays.
        let liveOnly = await fixture.respond(
            "POST", "/v1/modes/live/approve", body: Self.decision(request.id), as: RouterFixture.peer(4106))
        #expect(liveOnly.status == 403 && String(buffer: liveOnly.body).contains("test mode"), "\(String(buffer: liveOnly.body))")
        let approved = await fixture.respond("POST", "/v1/modes/live/approve", body: Self.decision(request.id), as: Self.second)
        #expect(approved.status == 200, "\(String(buffer: approved.body))")
        let status = try Self.decode(ModeStatus.self, approved)
        #expect(status.action == "rekey")
        let path = try #require(status.note?.split(separator: " ").first { $0.hasPrefix("/") }.map(String.init))
        #expect(FileManager.default.fileExists(atPath: path), "\(status.note ?? "")")
        #expect(try await fixture.service.auditEntries(last: 1).last?.action == "rekey")
    }
}
