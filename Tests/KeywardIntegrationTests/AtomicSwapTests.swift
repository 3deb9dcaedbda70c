import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Synchronization
import Testing

/// 32 readers fetch in a loop while 200 rotations commit: every answer is one whole key set.
@Suite("the atomic swap")
struct AtomicSwapTests {
    static let poolSize = 4

    @Test("32 concurrent readers during 200 commits never see a mixed set and never fail")
    func readersDuringRotations() async throws {
        let daemon = try DaemonHarness()
        // Keys cycle through a pool: version v uses merchant pool[v % 4], platform pool[v % 4].
        var merchantBare: [String] = []
        var merchantFingerprint: [String] = []
        var platformFingerprint: [String] = []
        var merchantPEM: [String] = []
        var platformPEM: [String] = []
        for index in 0..<Self.poolSize {
            let merchant = try TestKeys.key(120 + index)
            let platform = try TestKeys.key(130 + index)
            merchantBare.append(
                try merchant.exported(as: PrivateKeyFormat(.pkcs1, .bare)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
            merchantPEM.append(
                try merchant.exported(as: PrivateKeyFormat(.pkcs1, .pem)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
            merchantFingerprint.append(merchant.publicKey.fingerprint.hex)
            platformFingerprint.append(platform.publicKey.fingerprint.hex)
            platformPEM.append(platform.publicKey.pem)
        }
        try daemon.call(Endpoints.setUp, .test, SetUpRequest(pid: "2088101122136241", appID: "2021001100600000"))
        try daemon.call(Endpoints.beginRotation, .test, .oneClick(privateKey: merchantPEM[1], platformKey: platformPEM[1]))
        try daemon.call(Endpoints.commit, .test)
        try daemon.call(Endpoints.activate, .test)

        let (expectedPrivate, expectedMerchant, expectedPlatform) = (merchantBare, merchantFingerprint, platformFingerprint)
        let stop = Atomic<Bool>(false)
        // Readers stop however this test ends, so no thread outlives it.
        defer { stop.store(true, ordering: .relaxed) }
        let counts = Mutex((responses: 0, failures: 0, mixed: 0, versions: Set<Int>()))
        let readers = (0..<32).map { _ in
            Thread {
                guard let connection = try? RawHTTP(socketPath: daemon.socketPath) else {
                    counts.withLock { $0.failures += 1 }
                    return
                }
                while !stop.load(ordering: .relaxed) {
                    guard let response = try? connection.exchange("GET", "/v1/keysets/test"), response.status == 200,
                        let document = try? response.decode(KeySetDocument.self)
                    else {
                        counts.withLock { $0.failures += 1 }
                        return
                    }
                    // The top-level fields must all be this one version's.
                    let version = document.version
                    let slot = version % Self.poolSize
                    let consistent =
                        document.merchantPrivateKey?.pkcs1Bare == expectedPrivate[slot]
                        && document.merchantPublicKey.fingerprint == expectedMerchant[slot]
                        && document.platformPublicKey.fingerprint == expectedPlatform[slot] && document.keyVersion == String(version)
                    counts.withLock {
                        $0.responses += 1
                        $0.versions.insert(version)
                        if !consistent { $0.mixed += 1 }
                    }
                }
            }
        }
        for reader in readers { reader.start() }

        let rotations = Int(ProcessInfo.processInfo.environment["KEYWARD_SWAP_ROTATIONS"] ?? "") ?? 200
        let (merchants, platforms) = (merchantPEM, platformPEM)
        let started = Date()
        try await onOwnThread {
            for version in 2...(rotations + 1) {
                let slot = version % Self.poolSize
                try daemon.call(Endpoints.beginRotation, .test, .oneClick(privateKey: merchants[slot], platformKey: platforms[slot]))
                try daemon.call(Endpoints.commit, .test)
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        // Let readers see the last version, then stop them.
        try await Task.sleep(for: .milliseconds(200))
        stop.store(true, ordering: .relaxed)
        while readers.contains(where: \.isExecuting) { try await Task.sleep(for: .milliseconds(10)) }

        let result = counts.withLock { $0 }
        print(
            "atomic swap: \(rotations) commits in \(Int(elapsed)) s, \(result.responses) responses from 32 readers, \(result.versions.count) distinct versions seen, \(result.mixed) mixed, \(result.failures) failed"
        )
        #expect(result.failures == 0)
        #expect(result.mixed == 0)
        #expect(result.responses > 32)
        #expect(result.versions.count > 10, "the readers should have seen many versions go by")
        #expect(try daemon.call(Endpoints.keySet, .test).version == rotations + 1)
    }
}
