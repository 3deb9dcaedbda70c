import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// A real vault in a real process, killed with SIGKILL at random moments or denied disk
/// space by the kernel, and the vault checked after each.
@Suite("crash safety", .serialized)
struct CrashSafetyTests {
    static let poolSize = 4

    /// A state directory, a master key file and a pool of keys on disk for the helper.
    struct Setup {
        let fixture: VaultFixture
        let masterKeyFile: String
        let poolDirectory: String
        let merchants: [KeyFingerprint]
        let platforms: [KeyFingerprint]

        init() throws {
            fixture = try VaultFixture()
            masterKeyFile = fixture.directory.file("master.key")
            try MasterKeyLoader.write(fixture.masterKey, to: masterKeyFile)
            poolDirectory = fixture.directory.file("pool")
            try FileManager.default.createDirectory(atPath: poolDirectory, withIntermediateDirectories: false)
            var merchants: [KeyFingerprint] = []
            var platforms: [KeyFingerprint] = []
            for index in 0..<CrashSafetyTests.poolSize {
                let merchant = try TestKeys.key(70 + index)
                let platform = try TestKeys.key(80 + index)
                try fixture.directory.write(
                    "pool/merchant-\(index).der", merchant.exported(as: PrivateKeyFormat(.pkcs8, .der)).withUnsafeBytes { Array($0) })
                try fixture.directory.write("pool/platform-\(index).pem", platform.publicKey.pem)
                merchants.append(merchant.publicKey.fingerprint)
                platforms.append(platform.publicKey.fingerprint)
            }
            self.merchants = merchants
            self.platforms = platforms
        }

        var stateDirectory: String { fixture.directory.path }
    }

    private static var killCount: Int {
        Int(ProcessInfo.processInfo.environment["KEYWARD_CRASH_KILLS"] ?? "") ?? 200
    }

    @Test("SIGKILL at random moments during rotations leaves exactly the old or exactly the new key set")
    func killDuringRotations() async throws {
        let setup = try Setup()
        let helper = ProcessRunner.product("keyward-vault-torture")
        var knownVersion = 0
        var outcomes = ["old set": 0, "new set": 0, "corrupt": 0, "mixed": 0]
        var generator = SystemRandomNumberGenerator()

        for iteration in 0..<Self.killCount {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: helper)
            process.arguments = ["rotate", setup.stateDirectory, setup.masterKeyFile, setup.poolDirectory]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            var text = ""
            while !text.contains("ready\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            #expect(text.contains("ready\n"), "helper did not start: \(text)")
            usleep(UInt32.random(in: 0...25_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let printed = text.split(separator: "\n").compactMap { line in
                line.hasPrefix("committed ") ? Int(line.dropFirst("committed ".count)) : nil
            }
            let acknowledged = printed.last ?? knownVersion

            do {
                let vault = try await Vault.open(
                    store: try FileVaultStore(directory: setup.stateDirectory),
                    unlock: .masterKey(setup.fixture.masterKey),
                    auditLogPath: setup.fixture.auditPath,
                    create: false
                )
                let state = await vault.contents.test
                let version = state.current?.version ?? 0
                if version == acknowledged {
                    outcomes["old set", default: 0] += 1
                } else if version == acknowledged + 1 {
                    outcomes["new set", default: 0] += 1
                } else {
                    outcomes["mixed", default: 0] += 1
                    Issue.record("kill \(iteration): acknowledged v\(acknowledged), vault has v\(version)")
                }
                if let current = state.current {
                    let consistent =
                        current.merchantPublicKey.fingerprint == setup.merchants[version % Self.poolSize]
                        && current.platformPublicKey.fingerprint == setup.platforms[version % Self.poolSize]
                        && current.merchantPrivateKey.matches(current.merchantPublicKey)
                    if !consistent {
                        outcomes["mixed", default: 0] += 1
                        Issue.record("kill \(iteration): v\(version) holds keys of another version")
                    }
                }
                // The chain is checked every 25 kills and after the last (decoding the whole
                // growing log every time would dominate the run).
                if iteration % 25 == 24 || iteration == Self.killCount - 1 { _ = try await vault.verifyAudit() }
                knownVersion = version
            } catch {
                outcomes["corrupt", default: 0] += 1
                Issue.record("kill \(iteration): the vault did not open: \(error)")
            }
        }
        print(
            "crash safety: \(Self.killCount) kills; \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")); last version v\(knownVersion)"
        )
        #expect(outcomes["corrupt"] == 0 && outcomes["mixed"] == 0)
        #expect(knownVersion > 0, "no rotation committed at all: the kills came too early to test anything")
        // Each commit was approved just before it (a kill may fall between the approval and
        // the commit: then the approval stands alone, and the next run aborts and starts over).
        let vault = try await setup.fixture.reopen()
        let entries = try await vault.auditLines().map { try $0.entry() }
        for (index, entry) in entries.enumerated() where entry.action == "commit" {
            #expect(index > 0 && entries[index - 1].action == "approve", "commit #\(entry.sequence) was not approved just before")
        }
        let unapplied = entries.indices.filter {
            entries[$0].action == "approve" && entries.indices.contains($0 + 1) && entries[$0 + 1].action != "commit"
        }
        print("crash safety: \(unapplied.count) approvals cut off from their commit by a kill; none applied later by itself")
    }

    @Test("a write the kernel cuts short (RLIMIT_FSIZE) fails with a clear error and leaves the previous vault intact")
    func failedWrite() async throws {
        let setup = try Setup()
        do {
            let vault = try await setup.fixture.open()
            try await vault.apply(.setUp(TestKeys.account()), to: .test, by: .currentProcess)
            try await vault.apply(
                .beginOneClick(privateKey: TestKeys.key(70), platformKey: TestKeys.key(80).publicKey), to: .test, by: .currentProcess)
            try await vault.apply(.commit, to: .test, by: .currentProcess)
            try await vault.apply(
                .beginOneClick(privateKey: TestKeys.key(71), platformKey: TestKeys.key(81).publicKey), to: .test, by: .currentProcess)
        }
        let before = try setup.fixture.vaultBytes()
        let helper = ProcessRunner.product("keyward-vault-torture")
        let limited = try ProcessRunner.run(helper, ["commit-limited", setup.stateDirectory, setup.masterKeyFile, "\(before.count / 2)"])
        #expect(limited.status == 3, "\(limited.output) \(limited.standardError)")
        #expect(limited.output.contains("vault.write-failed"))
        #expect(try setup.fixture.vaultBytes() == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: setup.stateDirectory).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")

        do {
            let vault = try await setup.fixture.open(create: false)
            #expect(await vault.contents.test.current?.version == 1)
            #expect(await vault.contents.test.pending?.platformPublicKey != nil)
        }
        // The same commit goes through with room to write: the limit was the only problem.
        let unlimited = try ProcessRunner.run(helper, ["commit-limited", setup.stateDirectory, setup.masterKeyFile, "\(1 << 30)"])
        #expect(unlimited.status == 0, "\(unlimited.output)")
    }
}
