import Dispatch
import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardServer
import KeywardTestSupport
import Logging
import Synchronization

/// A real router over a real vault whose test mode serves a committed, active key set.
/// Built once per process: fuzz inputs run against the same daemon state.
final class RouterFixture: Sendable {
    let router: Router
    let vaultDirectory: VaultFixture
    /// A reader and signer of test mode, not an operator: control routes are refused.
    let client = Peer(uid: 4242, gid: 4242, pid: 4242, groups: [])
    /// The daemon's own uid: an operator of both modes.
    let operatorPeer = Peer(uid: 7, gid: 7, pid: 7, groups: [])

    private static let instance = Mutex<RouterFixture?>(nil)

    static func shared() throws -> RouterFixture {
        try instance.withLock { fixture in
            if let fixture { return fixture }
            let made = try blocking { try await RouterFixture.make() }
            fixture = made
            return made
        }
    }

    private init(router: Router, vaultDirectory: VaultFixture) {
        self.router = router
        self.vaultDirectory = vaultDirectory
    }

    private static func make() async throws -> RouterFixture {
        let fixture = try VaultFixture()
        let vault = try await fixture.openServingTestMode()
        let reader = AccessPolicy.Principal.user(4242)
        let access = AccessPolicy(
            test: .init(readers: [reader], signers: [reader], exportPrivateKey: false), live: .init(exportPrivateKey: false), daemonUID: 7)
        var logger = Logger(label: "keyward-fuzz")
        logger.logLevel = .critical
        let service = await KeywardService(
            vault: vault, settings: .init(access: access, limits: ServerLimits()), stateDirectory: StateDirectory(fixture.directory.path),
            logger: logger)
        return RouterFixture(router: Router(service: service), vaultDirectory: fixture)
    }
}

/// Runs async work to completion from synchronous code (the fuzz entry point is a C call).
/// Never call it on a cooperative thread.
func blocking<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) throws -> Value {
    let done = DispatchSemaphore(value: 0)
    let result = Mutex<Result<Value, any Error>?>(nil)
    Task {
        let outcome: Result<Value, any Error>
        do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
        result.withLock { $0 = outcome }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}
