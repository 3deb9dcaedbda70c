import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// The operator's flows through the real keywardctl against the real keywardd.
@Suite("rotation flows through keywardctl and keywardd")
struct RotationFlowTests {
    private func ctl(_ daemon: DaemonHarness, _ arguments: [String]) throws -> ProcessResult {
        let result = try daemon.keywardctl(arguments)
        #expect(result.status == 0, "keywardctl \(arguments.joined(separator: " ")): \(result.standardError)")
        return result
    }

    private func writeKey(
        _ daemon: DaemonHarness, _ name: String, _ key: RSAPrivateKey, format: PrivateKeyFormat = PrivateKeyFormat(.pkcs1, .pem)
    ) throws {
        try daemon.directory.write(name, key.exported(as: format).withUnsafeBytes { Array($0) })
    }

    @Test("one-click: setup, rotate, upload the printed key, platform key, commit, activate, fetch, sign")
    func oneClick() throws {
        let daemon = try DaemonHarness()
        let platform = try TestKeys.key(100)
        try daemon.directory.write("platform.pem", platform.publicKey.pem)
        _ = try ctl(
            daemon, ["setup", "test", "--pid", "2088101122136241", "--app-id", "2021001100600000", "--email", "finance@example.com"])

        let begun = try ctl(daemon, ["rotate", "test", "--generate", "--json"])
        let rotation = try APIJSON.decoder().decode(PendingRotationStatus.self, from: Data(begun.standardOutput))
        #expect(rotation.state == .awaitingPlatformKey)
        let toUpload = rotation.merchantPublicKeyToUpload
        let uploaded = try RSAPublicKey(parsing: toUpload)  // the one-line form the dashboard takes
        #expect(uploaded.bits == 2048)

        let human = try ctl(daemon, ["status"])
        #expect(human.output.contains("awaiting-platform-key"))
        _ = try ctl(daemon, ["platform-key", "test", "--platform-key", "platform.pem"])
        _ = try ctl(daemon, ["commit", "test"])
        _ = try ctl(daemon, ["activate", "test"])

        let keySet = try daemon.call(Endpoints.keySet, .test)
        #expect(keySet.version == 1)
        #expect(keySet.merchantPublicKey.spkiBare == toUpload)
        #expect(keySet.platformPublicKey.fingerprint == platform.publicKey.fingerprint.hex)

        try daemon.directory.write("message", "hello")
        let signed = try ctl(daemon, ["sign", "test", "--in", "message"])
        let signature = try Base64Text.decodeSignature(signed.output)
        #expect(uploaded.isValidSignature(signature, for: "hello"))
        #expect(daemon.stop() == 0)
    }

    @Test("own keys: the operator's pair, a mismatched public key refused, then committed; one-click goes straight to ready")
    func ownKeysAndImport() throws {
        let daemon = try DaemonHarness()
        try writeKey(daemon, "merchant.pem", try TestKeys.key(101), format: PrivateKeyFormat(.pkcs8, .bare))
        try daemon.directory.write("merchant.pub", try TestKeys.key(101).publicKey.pem)
        try daemon.directory.write("wrong.pub", try TestKeys.key(102).publicKey.pem)
        try daemon.directory.write("platform.pem", try TestKeys.key(103).publicKey.bareBase64)
        _ = try ctl(daemon, ["setup", "live", "--pid", "2088101122136241", "--app-id", "2021001100600000"])

        let mismatch = try daemon.keywardctl([
            "rotate", "live", "--own-keys", "--private-key", "merchant.pem", "--public-key", "wrong.pub", "--json",
        ])
        #expect(mismatch.status == 2)
        #expect(mismatch.output.contains("credentials.merchant-key-mismatch"))
        _ = try ctl(daemon, ["rotate", "live", "--own-keys", "--private-key", "merchant.pem", "--public-key", "merchant.pub"])
        let early = try daemon.keywardctl(["commit", "live"])
        #expect(early.status == 2 && early.standardError.contains("no platform public key yet"))
        _ = try ctl(daemon, ["platform-key", "live", "--platform-key", "platform.pem"])
        _ = try ctl(daemon, ["commit", "live"])
        _ = try ctl(daemon, ["activate", "live"])

        // Live mode does not export the private key by default: readers must sign through Keyward.
        let keySet = try daemon.call(Endpoints.keySet, .live)
        #expect(keySet.merchantPrivateKey == nil)
        #expect(keySet.origin == .ownKeys)

        try writeKey(daemon, "dashboard.pem", try TestKeys.key(104))
        try daemon.directory.write("platform2.pem", try TestKeys.key(105).publicKey.pem)
        let imported = try ctl(
            daemon, ["rotate", "live", "--one-click", "--private-key", "dashboard.pem", "--platform-key", "platform2.pem"])
        #expect(imported.output.contains("ready"))
        _ = try ctl(daemon, ["commit", "live"])
        #expect(try daemon.call(Endpoints.keySet, .live).version == 2)

        // The same key may not serve test mode (nor the same identity: test has its own).
        let sharedIdentity = try daemon.keywardctl(["setup", "test", "--pid", "2088101122136241", "--app-id", "2021001100600000"])
        #expect(sharedIdentity.status == 2 && sharedIdentity.standardError.contains("credentials.identity-shared"))
        _ = try ctl(daemon, ["setup", "test", "--pid", "2088101122136243", "--app-id", "2021001100600005"])
        let reused = try daemon.keywardctl([
            "rotate", "test", "--one-click", "--private-key", "dashboard.pem", "--platform-key", "platform.pem",
        ])
        #expect(reused.status == 2 && reused.standardError.contains("already used by live mode"))

        let audit = try ctl(daemon, ["audit", "--verify", "--json"])
        #expect(audit.output.contains("\"valid\":true"))
    }

    @Test("a watch wakes within the same second as the commit")
    func watchWakesPromptly() async throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 110, platform: 111)
        let first = try daemon.request("GET", "/v1/keysets/test")
        let etag = try #require(first.headers["etag"])

        let watcher = Task {
            try await onOwnThread { () throws -> (RawHTTP.Response, Date) in
                let response = try daemon.request("GET", "/v1/keysets/test?wait=30", headers: ["If-None-Match": etag], timeout: 40)
                return (response, Date())
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let privateKey = try TestKeys.key(112).exported(as: PrivateKeyFormat(.pkcs1, .pem)).withUnsafeBytes {
            String(decoding: $0, as: UTF8.self)
        }
        let platformKey = try TestKeys.key(113).publicKey.pem
        let committed = try await onOwnThread { () throws -> Date in
            try daemon.call(Endpoints.beginRotation, .test, .oneClick(privateKey: privateKey, platformKey: platformKey))
            try daemon.call(Endpoints.commit, .test)
            return Date()
        }
        let (response, woke) = try await watcher.value
        #expect(response.status == 200)
        #expect(try response.decode(KeySetDocument.self).version == 2)
        #expect(response.headers["etag"] != etag)
        let lag = woke.timeIntervalSince(committed)
        print("watch woke \(Int(lag * 1000)) ms after the commit returned")
        #expect(lag < 1.0)

        let timedOut = try daemon.request("GET", "/v1/keysets/test?wait=0.2", headers: ["If-None-Match": response.headers["etag"]!])
        #expect(timedOut.status == 304)
    }
}

/// Sets up test mode with one committed, active key set made of two test keys.
func committedTestMode(_ daemon: DaemonHarness, merchant: Int, platform: Int) throws {
    try daemon.call(Endpoints.setUp, .test, SetUpRequest(pid: "2088101122136241", appID: "2021001100600000"))
    let privateKey = try TestKeys.key(merchant).exported(as: PrivateKeyFormat(.pkcs1, .pem)).withUnsafeBytes {
        String(decoding: $0, as: UTF8.self)
    }
    try daemon.call(
        Endpoints.beginRotation, .test, .oneClick(privateKey: privateKey, platformKey: try TestKeys.key(platform).publicKey.pem))
    try daemon.call(Endpoints.commit, .test)
    try daemon.call(Endpoints.activate, .test)
}

/// `keywardctl init` makes what a production keywardd needs to start.
@Suite("a new install with keywardctl init")
struct InitTests {
    @Test("init writes a 0600 master key and a vault; keywardd --config starts on them; a second init is refused")
    func initThenStart() throws {
        let directory = try TemporaryDirectory(prefix: "keyward-init")
        let state = directory.file("state")
        let keyFile = directory.file("master.key")
        let created = try ProcessRunner.run(
            ProcessRunner.product("keywardctl"), ["init", "--state-directory", state, "--master-key-file", keyFile, "--json"])
        #expect(created.status == 0, "\(created.standardError)")
        #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
        #expect(FileManager.default.fileExists(atPath: "\(state)/vault.kwv"))

        let again = try ProcessRunner.run(
            ProcessRunner.product("keywardctl"), ["init", "--state-directory", state, "--master-key-file", directory.file("other.key")])
        #expect(again.status == 2 && again.standardError.contains("already holds a vault"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("other.key")))

        try directory.write(
            "keywardd.toml",
            """
            [daemon]
            socket = "\(directory.file("keyward.sock"))"
            state_directory = "\(state)"
            master_key_file = "\(keyFile)"
            """
        )
        let daemon = try DaemonHarness(arguments: ["--config", directory.file("keywardd.toml")], directory: directory)
        #expect(try daemon.call(Endpoints.status).statusLine == "live no key set, test no key set")
        #expect(daemon.stop() == 0)
    }

    @Test("init --credential seals the master key with systemd-creds and writes no plain key file")
    func initSealsCredential() throws {
        let directory = try TemporaryDirectory(prefix: "keyward-init-cred")
        // systemd-creds' host key lives in the temp directory, not in /var/lib/systemd.
        var environment = ProcessInfo.processInfo.environment
        environment["SYSTEMD_CREDENTIAL_SECRET"] = directory.file("host.secret")
        let credential = directory.file("master-key.cred")
        let plainKeyFile = directory.file("master.key")
        let created = try ProcessRunner.run(
            ProcessRunner.product("keywardctl"),
            [
                "init", "--state-directory", directory.file("state"), "--credential", credential, "--with-key", "host",
                "--master-key-file", plainKeyFile, "--json",
            ],
            environment: environment)
        #expect(created.status == 0, "\(created.standardError)")
        let installID: String? = try APIJSON.decoder().decode(InitResult.self, from: Data(created.standardOutput)).installID
        #expect(!FileManager.default.fileExists(atPath: plainKeyFile))
        let sealed = try directory.read("master-key.cred")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("keyward-master-key-v1"), "the credential holds the key in clear")

        let opened = try ProcessRunner.run(
            "systemd-creds", ["decrypt", "--name=keyward-master-key", credential, "-"], environment: environment)
        #expect(opened.status == 0, "\(opened.standardError)")
        #expect(opened.output.hasPrefix("keyward-master-key-v1 \(installID ?? "?") "))

        let refused = try ProcessRunner.run(
            ProcessRunner.product("keywardctl"),
            ["init", "--state-directory", directory.file("other"), "--credential", directory.file("other.cred"), "--with-key", "null"],
            environment: environment)
        #expect(refused.status == 2 && refused.standardError.contains("--with-key null is not one of"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("other.cred")))
        #expect(!FileManager.default.fileExists(atPath: directory.file("other")))
    }
}
