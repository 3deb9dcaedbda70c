import Foundation
public import KeywardConfiguration
import KeywardCore
public import KeywardServer
public import KeywardTestSupport
import Logging

/// A real `Router` over a real vault (on a manual clock) whose test mode serves a committed,
/// active key set (`VaultFixture.openServingTestMode`), with the access policy a test gives.
/// Requests go the way a connection sends them: `Router.answer`, then its work or watch.
public final class RouterFixture: Sendable {
    public let router: Router
    public let service: KeywardService
    public let vaultDirectory: VaultFixture
    /// The daemon's own uid in the policy: an operator of both modes.
    public static let daemonUID: UInt32 = 7

    private init(router: Router, service: KeywardService, vaultDirectory: VaultFixture) {
        self.router = router
        self.service = service
        self.vaultDirectory = vaultDirectory
    }

    /// A fixture whose grants are `test` and `live` (the daemon's uid is `daemonUID`).
    public static func make(test: AccessPolicy.ModeAccess, live: AccessPolicy.ModeAccess) async throws -> RouterFixture {
        let fixture = try VaultFixture()
        let vault = try await fixture.openServingTestMode()
        var logger = Logger(label: "keyward-router-fixture")
        logger.logLevel = .critical
        let service = await KeywardService(
            vault: vault, settings: .init(access: AccessPolicy(test: test, live: live, daemonUID: daemonUID), limits: ServerLimits()),
            stateDirectory: StateDirectory(fixture.directory.path), logger: logger)
        return RouterFixture(router: Router(service: service), service: service, vaultDirectory: fixture)
    }

    /// A peer with `uid`, its primary group of the same number and no other group.
    public static func peer(_ uid: UInt32) -> Peer { Peer(uid: uid, gid: uid, pid: Int32(uid), groups: []) }

    /// The response to one request by `peer`, as a connection would get it (a watch waits
    /// for the next commit or its timeout).
    public func respond(_ method: String, _ uri: String, body: [UInt8] = [], headers: [String: String] = [:], as peer: Peer) async
        -> HTTPResponse
    {
        let request = HTTPRequest(method: method, uri: uri, headers: headers, body: body, peer: peer)
        return await router.respond(to: request)
    }
}
