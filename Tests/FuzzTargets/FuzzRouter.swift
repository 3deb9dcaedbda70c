import Dispatch
import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardServer
import KeywardServerTestSupport
import KeywardTestSupport
import Logging
import Synchronization

/// The fuzz targets' router: one `RouterFixture` per process (inputs run against the same
/// daemon state), test mode served, uid 4242 a reader and signer of test mode but not an
/// operator (control routes are refused), the daemon's uid an operator.
enum FuzzRouter {
    /// A reader and signer of test mode, not an operator.
    static let client = RouterFixture.peer(4242)
    /// The daemon's own uid: an operator of both modes.
    static let operatorPeer = RouterFixture.peer(RouterFixture.daemonUID)

    private static let instance = Mutex<RouterFixture?>(nil)

    static func shared() throws -> RouterFixture {
        try instance.withLock { fixture in
            if let fixture { return fixture }
            let reader = AccessPolicy.Principal.user(client.uid)
            let made = try blocking {
                try await RouterFixture.make(
                    test: .init(readers: [reader], signers: [reader], exportPrivateKey: false), live: .init(exportPrivateKey: false))
            }
            fixture = made
            return made
        }
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
