import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Bad clients get clear answers and never stop the daemon from serving others.
@Suite("hostile and unauthorised clients")
struct HostileClientTests {
    @Test("oversized bodies, garbage, smuggling attempts, deep JSON and half-open connections: the daemon keeps serving")
    func keepsServing() async throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 150, platform: 151)

        // 50 connections that send half a request and then nothing.
        var halfOpen: [RawHTTP] = []
        for _ in 0..<50 {
            let connection = try RawHTTP(socketPath: daemon.socketPath)
            try connection.send(Array("GET /v1/keysets/test HTTP/1.1\r\nHost: x\r\n".utf8))
            halfOpen.append(connection)
        }

        let big = try RawHTTP(socketPath: daemon.socketPath)
        try big.send(Array("POST /v1/keysets/test/sign HTTP/1.1\r\nContent-Length: 10485760\r\n\r\n".utf8))
        let tooLarge = try big.readResponse()
        #expect(tooLarge.status == 413)
        #expect(tooLarge.text.contains("request.too-large"))

        let garbage = try RawHTTP(socketPath: daemon.socketPath)
        try garbage.send((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        let malformed = try garbage.readResponse()
        #expect(malformed.status == 400 && malformed.text.contains("\"error\""))

        let smuggler = try RawHTTP(socketPath: daemon.socketPath)
        try smuggler.send(
            Array("POST /v1/keysets/test/verify HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8))
        #expect(try smuggler.readResponse().status == 400)

        let deep = String(repeating: "[", count: 10_000)
        let deepAnswer = try daemon.request("POST", "/v1/keysets/test/verify", body: Array(deep.utf8))
        #expect(deepAnswer.status == 400 && deepAnswer.text.contains("request.json-too-deep"))

        let invalidUTF8 = try daemon.request("POST", "/v1/keysets/test/sign", body: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D])
        #expect(invalidUTF8.status == 400)

        for path in ["/v1/keysets/../vault", "/v1/keysets/%2e%2e", "/v1/keysets/test/../../etc", "/nope", "/v1/keysets/live/sign/extra"] {
            let answer = try daemon.request("GET", path)
            #expect(answer.status == 404, "\(path)")
            #expect(answer.text.contains("\"code\""))
        }
        #expect(try daemon.request("DELETE", "/v1/keysets/test").status == 405)

        // An honest client is served promptly throughout.
        let honest = try daemon.request("GET", "/v1/keysets/test")
        #expect(honest.status == 200)
        #expect(try honest.decode(KeySetDocument.self).version == 1)
        #expect(daemon.process.isRunning)
        withExtendedLifetime(halfOpen) {}
    }

    @Test("a slow request is cut off with 408 after the request timeout")
    func slowRequest() async throws {
        let directory = try TemporaryDirectory(prefix: "keywardd-slow")
        let daemon = try await daemonOnNewInstall(directory, configuration: "[limits]\nrequest_timeout_seconds = 1")
        let slow = try RawHTTP(socketPath: daemon.socketPath)
        try slow.send(Array("GET /v1/health HTTP/1.1\r\n".utf8))
        let answer = try slow.readResponse()
        #expect(answer.status == 408)
        #expect(answer.text.contains("request.timeout"))
        #expect(try daemon.request("GET", "/v1/health").status == 200)
    }

    @Test(
        "a peer of another uid with no role gets 403 naming its uid, and the refusal is audited",
        .enabled(if: getuid() == 0, "needs root to run a client as nobody"))
    func otherUIDRefused() async throws {
        let directory = try TemporaryDirectory(prefix: "keywardd-uid")
        chmod(directory.path, 0o755)
        let daemon = try await daemonOnNewInstall(directory, daemonSettings: "socket_mode = \"0666\"")
        let asNobody = try ProcessRunner.run(
            "setpriv",
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", ProcessRunner.product("keywardctl"), "status", "--socket",
                daemon.socketPath, "--json",
            ]
        )
        #expect(asNobody.status == 2, "\(asNobody.output) \(asNobody.standardError)")
        #expect(asNobody.output.contains("auth.forbidden"))
        #expect(asNobody.output.contains("uid 65534"))
        let audit = try daemon.call(Endpoints.audit)
        #expect(audit.entries.contains { $0.actor.uid == 65534 && $0.outcome == "refused" })
    }
}

/// The groups that count for a `group:`/`gid:` grant are the peer process's own, read from
/// the kernel (SO_PEERGROUPS), as systemd's `SupplementaryGroups=` sets them: not its user's
/// entry in the group database.
@Suite("peer groups from the kernel")
struct PeerGroupTests {
    /// `keywardctl get test --json` as uid 65534 with exactly `groups` as its supplementary groups.
    private func getAsNobody(_ daemon: DaemonHarness, groups: [UInt32]) throws -> ProcessResult {
        let groupArgument = groups.isEmpty ? "--clear-groups" : "--groups=\(groups.map(String.init).joined(separator: ","))"
        return try ProcessRunner.run(
            "setpriv",
            [
                "--reuid=65534", "--regid=65534", groupArgument, ProcessRunner.product("keywardctl"), "get", "test", "--socket",
                daemon.socketPath, "--json",
            ]
        )
    }

    @Test(
        "a group held only by the process (setgroups, as SupplementaryGroups= does) grants its role; without it, 403",
        .enabled(if: getuid() == 0, "needs root to run a client as nobody with chosen groups"))
    func supplementaryGroupGrant() async throws {
        let directory = try TemporaryDirectory(prefix: "keywardd-groups")
        chmod(directory.path, 0o755)
        // gid 4343 is in no group database entry: only the kernel knows the process holds it.
        let daemon = try await daemonOnNewInstall(
            directory, daemonSettings: "socket_mode = \"0666\"", configuration: "[mode.test]\nreaders = [\"gid:4343\"]")
        let granted = try getAsNobody(daemon, groups: [4343])
        // A reader of test mode, which serves nothing yet: 404, not 403.
        #expect(granted.output.contains("mode.not-served"), "\(granted.output) \(granted.standardError)")
        #expect(!granted.output.contains("auth.forbidden"))
        let refused = try getAsNobody(daemon, groups: [])
        #expect(refused.output.contains("auth.forbidden"), "\(refused.output) \(refused.standardError)")
        #expect(refused.output.contains("uid 65534"))
        // Many groups, the granted one last: the whole kernel list is read.
        let many = try getAsNobody(daemon, groups: Array(5000..<5100) + [4343])
        #expect(many.output.contains("mode.not-served"), "\(many.output) \(many.standardError)")
    }
}

/// A new install in `directory` (master key file, configuration, empty vault: what keywardctl
/// init makes) and keywardd started on it. `daemonSettings` go into [daemon];
/// `configuration` is appended as further tables.
func daemonOnNewInstall(_ directory: TemporaryDirectory, daemonSettings: String = "", configuration: String = "") async throws
    -> DaemonHarness
{
    let masterKey = try MasterKey.generate()
    try MasterKeyLoader.write(masterKey, to: directory.file("master.key"))
    try directory.write(
        "keywardd.toml",
        """
        [daemon]
        socket = "\(directory.file("keyward.sock"))"
        state_directory = "\(directory.path)"
        master_key_file = "\(directory.file("master.key"))"
        \(daemonSettings)
        \(configuration)
        """
    )
    _ = try await Vault.open(
        store: try FileVaultStore(directory: directory.path),
        unlock: .masterKey(masterKey),
        auditLogPath: directory.file("audit.log"),
        create: true
    )
    return try DaemonHarness(arguments: ["--config", directory.file("keywardd.toml")], directory: directory)
}
