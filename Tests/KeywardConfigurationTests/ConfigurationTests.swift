import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

@Suite("keywardd.toml")
struct ConfigurationTests {
    private func parse(_ text: String) throws -> DaemonConfiguration {
        try DaemonConfiguration.parse(text, source: "keywardd.toml", daemonUID: 4321)
    }

    private func errorMessage(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as ConfigurationError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("the documented example parses to the defaults")
    func example() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../etc/keyward/keywardd.toml")
        let config = try DaemonConfiguration.parse(try String(contentsOf: url, encoding: .utf8), source: "example", daemonUID: 4321)
        #expect(config == DaemonConfiguration(daemonUID: 4321))
        #expect(config.access.test.exportPrivateKey && !config.access.live.exportPrivateKey)
        #expect(config.limits.maxBodyBytes == 65536)
        #expect(config.rotation.graceWindow == 86_400)
    }

    @Test("event loops: half the cores and at least one, unless set")
    func eventLoops() {
        let automatic = ServerLimits()
        #expect([1, 2, 3, 8, 64].map { automatic.eventLoopThreads(cores: $0) } == [1, 1, 1, 4, 32])
        #expect(ServerLimits(eventLoops: 2).eventLoopThreads(cores: 1) == 2)
    }

    @Test("an empty file gives the defaults")
    func empty() throws {
        #expect(try parse("") == DaemonConfiguration(daemonUID: 4321))
    }

    @Test("values are read, with comments and underscores in numbers")
    func values() throws {
        let config = try parse(
            """
            [daemon]
            socket = "/tmp/k.sock"   # a comment
            socket_mode = '0600'
            log_level = "debug"
            [limits]
            max_body_bytes = 131_072
            max_wait_seconds = 30
            event_loops = 3
            [rotation]
            grace_window_hours = 2
            [mode.live]
            export_private_key = false
            readers = ["uid:1000", "gid:1001"]
            signers = ["user:root"]
            """
        )
        #expect(config.socketPath == "/tmp/k.sock")
        #expect(config.socketPermissions == 0o600)
        #expect(config.logLevel == "debug")
        #expect(config.limits.maxBodyBytes == 131_072)
        #expect(config.limits.maxWait == .seconds(30))
        #expect(config.limits.eventLoopThreads(cores: 8) == 3)
        #expect(config.rotation.graceWindow == 7200)
        #expect(config.access.live.readers == [.user(1000), .group(1001)])
        #expect(config.access.live.signers == [.user(0)])
    }

    @Test(
        "mistakes name the line and the key",
        arguments: [
            ("[daemon]\nsockt = \"/x\"\n", "line 2: unknown key 'sockt' in [daemon]"),
            ("[deamon]\n", "line 1: unknown table [deamon]"),
            ("[limits]\nmax_body_bytes = \"big\"\n", "line 2: [limits] max_body_bytes must be an integer"),
            ("[limits]\nmax_body_bytes = 10\n", "line 2: [limits] max_body_bytes must be from 1024"),
            ("[daemon]\nsocket = /x\n", "line 2: '/x' is not a string"),
            ("[daemon]\nsocket = \"/x\n", "line 2: a string is not closed"),
            ("[daemon]\nsocket = \"/a\"\nsocket = \"/b\"\n", "line 3: 'socket' is set twice (first on line 2)"),
            ("[mode.live]\nreaders = [\"nobody-such-user-xyz\"]\n", "line 2: [mode.live] readers has 'nobody-such-user-xyz'"),
            ("[mode.live]\nreaders = [\"user:nobody-such-user-xyz\"]\n", "line 2: [mode.live] readers names no user"),
            ("[daemon]\nsocket_mode = \"999\"\n", "line 2: [daemon] socket_mode must be an octal mode"),
            ("socket = \"/x\"\n", "line 1: 'socket' must be inside a table"),
            ("[daemon]\nlog_level = \"loud\"\n", "line 2: [daemon] log_level must be one of"),
            ("[store]\nkind = \"etcd\"\n", "line 2: [store] kind must be \"file\" or \"postgres\""),
            ("[store]\nkind = \"postgres\"\n", "line 2: [store] kind is \"postgres\", so [store] needs url"),
            ("[store]\nurl = \"postgresql://k@h/d\"\n", "line 2: [store] url applies only to kind = \"postgres\""),
            (
                "[store]\nkind = \"postgres\"\nurl = \"postgresql://k:secret@h/d\"\n",
                "line 3: [store] url is not usable: the store url holds a password"
            ),
            ("[store]\nkind = \"postgres\"\nurl = \"mysql://k@h/d\"\n", "line 3: [store] url is not usable: the store url must start with"),
            (
                "[store]\nkind = \"postgres\"\nurl = \"postgresql://k@h/d?sslmode=prefer\"\n",
                "line 3: [store] url is not usable: the store url has sslmode=prefer"
            ),
            (
                "[store]\nkind = \"postgres\"\nurl = \"postgresql://k@h/d\"\npassword_credential = \"/etc/pw\"\n",
                "line 4: [store] password_credential must be a credential name"
            ),
            ("[alerts]\nexec = \"/usr/bin/page\"\n", "line 2: [alerts] exec must be an array: the program and its arguments"),
            ("[alerts]\nexec = [\"page\", \"me\"]\n", "line 2: [alerts] exec must start with an absolute program path, not 'page'"),
            ("[alerts]\ntimeout_seconds = 0\n", "line 2: [alerts] timeout_seconds must be from 1 to 600"),
            ("[mode.live]\nrotate_after_days = 5000\n", "line 2: [mode.live] rotate_after_days must be from 0 to 3650"),
            ("[mode.test]\nprepare_rotation = \"yes\"\n", "line 2: [mode.test] prepare_rotation must be true or false"),
            ("[mode.live]\napprovals = 3\n", "line 2: [mode.live] approvals must be from 1 to 2, not 3"),
        ]
    )
    func mistakes(text: String, expected: String) {
        let message = errorMessage(text)
        #expect(message?.contains(expected) == true, "got: \(message ?? "no error")")
    }

    @Test("lifecycle policy per mode, the alert hook, and a mode's pending lifetime over [rotation]'s")
    func lifecycle() throws {
        let config = try parse(
            """
            [rotation]
            pending_lifetime_days = 5
            [alerts]
            exec = ["/usr/local/bin/page", "--team", "payments"]
            timeout_seconds = 3
            [mode.live]
            rotate_after_days = 180
            warn_before_days = 21
            pending_lifetime_days = 2
            prepare_rotation = true
            approvals = 2
            approval_window_minutes = 30
            [mode.test]
            rotate_after_days = 0
            """)
        #expect(config.lifecycle.live == LifecyclePolicy(rotateAfter: 180 * 86_400, warnBefore: 21 * 86_400, prepareRotation: true))
        #expect(config.lifecycle.test.rotateAfter == nil, "0 days: never due")
        #expect(config.access.live.approvals == 2 && config.access.live.approvalWindow == .seconds(1800))
        #expect(config.access.test.approvals == 1, "one operator unless the file says two")
        #expect(config.lifecycle.test.warnBefore == 30 * 86_400)
        #expect(config.alerts == AlertSettings(command: ["/usr/local/bin/page", "--team", "payments"], timeout: .seconds(3)))
        #expect(config.rotation.pendingLifetime(.live) == 2 * 86_400)
        #expect(config.rotation.pendingLifetime(.test) == 5 * 86_400, "[rotation] still sets the default, as the previous release read it")
        #expect(try parse("").lifecycle == LifecyclePolicies())
    }

    @Test("roles: operators include signers include readers; the daemon's uid and root are operators")
    func roles() {
        var policy = DaemonConfiguration(daemonUID: 4321).access
        policy.live.readers = [.user(1000)]
        policy.live.signers = [.group(2000)]
        #expect(policy.role(uid: 1000, groups: [1000], in: .live) == .reader)
        #expect(policy.role(uid: 1000, groups: [1000], in: .test) == nil)
        #expect(policy.role(uid: 1001, groups: [1001, 2000], in: .live) == .signer)
        #expect(policy.role(uid: 1002, groups: [1002], in: .live) == nil)
        #expect(policy.role(uid: 1002, groups: [1002], in: .test) == nil)
        #expect(policy.role(uid: 4321, groups: [], in: .live) == .operator)
        #expect(policy.role(uid: 0, groups: [], in: .test) == .operator)
    }

    @Test("[store] kind = \"postgres\": a libpq URL (TCP with verify-full by default, or a Unix socket) and a password credential")
    func postgresStore() throws {
        let tcp = try parse(
            """
            [store]
            kind = "postgres"
            url = "postgresql://keyward@db.example.com:6432/keyward?sslrootcert=/etc/keyward/ca.pem"
            password_credential = "keyward-store-password"
            poll_interval_seconds = 2
            """)
        guard case .postgres(let settings) = tcp.store else {
            Issue.record("not a postgres store")
            return
        }
        #expect(settings.url.endpoint == .tcp(host: "db.example.com", port: 6432))
        #expect(settings.url.tls == .verifyFull)
        #expect(settings.url.rootCertificateFile == "/etc/keyward/ca.pem")
        #expect(settings.url.user == "keyward" && settings.url.database == "keyward")
        #expect(settings.passwordCredential == "keyward-store-password")
        #expect(settings.pollInterval == .seconds(2))
        #expect(settings.url.description == "postgresql://keyward@db.example.com:6432/keyward")

        let socket = try PostgresURL(parsing: "postgresql://keyward@/keyward?host=/run/postgresql")
        #expect(socket.endpoint == .unixSocket(directory: "/run/postgresql", port: 5432))
        #expect(socket.tls == .disable)
        #expect(try parse("[store]\nkind = \"file\"\n").store == .file)
    }
}
