import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Three real keywardd nodes sharing one vault through a real PostgreSQL server.
@Suite("a fleet of keywardd nodes on PostgreSQL", .serialized)
struct FleetTests {
    /// The server, the shared master key, and a configuration per node.
    final class Fleet: @unchecked Sendable {
        let postgres: PostgresServer
        let root: TemporaryDirectory
        let credentials: TemporaryDirectory
        var nodes: [String: DaemonHarness] = [:]
        var directories: [String: TemporaryDirectory] = [:]

        init() throws {
            postgres = try PostgresServer()
            root = try TemporaryDirectory(prefix: "keyward-fleet")
            credentials = try TemporaryDirectory(prefix: "keyward-fleet-creds")
            try credentials.write("keyward-store-password", postgres.password + "\n")
            for name in ["a", "b", "c"] {
                let directory = try TemporaryDirectory(prefix: "keyward-node-\(name)")
                directories[name] = directory
                try directory.write(
                    "keywardd.toml",
                    """
                    [daemon]
                    socket = "\(directory.file("keyward.sock"))"
                    state_directory = "\(directory.file("state"))"
                    master_key_file = "\(root.file("master.key"))"

                    [store]
                    kind = "postgres"
                    url = "\(postgres.url)"
                    password_credential = "keyward-store-password"
                    poll_interval_seconds = 1
                    """)
            }
            // One install: node a's vault, pushed to the store; every node holds the master key.
            let created = try ctl([
                "init", "--state-directory", directories["a"]!.file("state"), "--master-key-file", root.file("master.key"),
            ])
            guard created.status == 0 else { throw TestSupportError("init: \(created.standardError)") }
            for _ in 0..<2 {
                let migrated = try ctl(["store", "migrate", "--config", config("a"), "--password-file", postgres.passwordFile])
                guard migrated.status == 0 else { throw TestSupportError("store migrate: \(migrated.standardError)") }
            }
            let pushed = try ctl(["store", "push", "--config", config("a"), "--password-file", postgres.passwordFile])
            guard pushed.status == 0 else { throw TestSupportError("store push: \(pushed.standardError)") }
        }

        func config(_ name: String) -> String { directories[name]!.file("keywardd.toml") }

        func ctl(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(ProcessRunner.product("keywardctl"), arguments)
        }

        @discardableResult
        func start(_ name: String) throws -> DaemonHarness {
            let node = try DaemonHarness(
                arguments: ["--config", config(name)], environment: ["CREDENTIALS_DIRECTORY": credentials.path],
                directory: directories[name]!)
            nodes[name] = node
            return node
        }

        func node(_ name: String) -> DaemonHarness { nodes[name]! }

        /// Whether each node still runs, and the end of its log: what a failure needs to show.
        func diagnostics() -> String {
            nodes.keys.sorted().map { name in
                let node = nodes[name]!
                let state = node.process.isRunning ? "running" : "exited with \(node.process.terminationStatus)"
                return "node \(name) (\(state)):\n\(node.log().split(separator: "\n").suffix(25).joined(separator: "\n"))"
            }.joined(separator: "\n")
        }

        /// Runs `steps`; an error they throw is recorded with every node's state and log.
        func reportingNodes(_ steps: () throws -> Void) {
            do { try steps() } catch { Issue.record("\(error)\n\(diagnostics())") }
        }

        /// Polls until `condition` holds (or `seconds` pass); returns the time it took.
        func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) throws -> Double? {
            let start = Date()
            while Date().timeIntervalSince(start) < seconds {
                if (try? condition()) == true { return Date().timeIntervalSince(start) }
                usleep(2_000)
            }
            return nil
        }

        func testVersion(_ name: String) throws -> Int? {
            let response = try node(name).request("GET", "/v1/keysets/test")
            guard response.status == 200 else { return nil }
            return try response.decode(KeySetDocument.self).version
        }

        /// The vault generation the node has.
        func generation(_ name: String) throws -> Int? {
            Int(try node(name).call(Endpoints.status).vault.generation)
        }

        func health(_ name: String) throws -> String? {
            try node(name).request("GET", "/v1/health").decode(HealthAnswer.self).status
        }

        /// An import rotation with two fresh test keys, committed on `name`.
        func commitImport(on name: String, merchant: Int, platform: Int) throws {
            let privateKey = try TestKeys.key(merchant).exported(as: PrivateKeyFormat(.pkcs1, .pem)).withUnsafeBytes {
                String(decoding: $0, as: UTF8.self)
            }
            try node(name).call(
                Endpoints.beginRotation, .test, .oneClick(privateKey: privateKey, platformKey: try TestKeys.key(platform).publicKey.pem))
            try node(name).call(Endpoints.commit, .test)
        }
    }

    @Test("a rotation on one node is served by the others at once, with the same key set and a valid audit log everywhere")
    func commitsReachEveryNode() async throws {
        try await onOwnThread {
            let fleet = try Fleet()
            for name in ["a", "b", "c"] { try fleet.start(name) }

            // A one-click rotation committed on node a.
            let a = fleet.node("a")
            try a.call(Endpoints.setUp, .test, SetUpRequest(pid: "2088101122136241", appID: "2021001100600000"))
            try a.call(Endpoints.beginRotation, .test, .generate())
            try a.call(Endpoints.platformKey, .test, PlatformKeyRequest(platformKey: try TestKeys.key(201).publicKey.pem))
            try a.call(Endpoints.commit, .test)
            try a.call(Endpoints.activate, .test)
            for name in ["b", "c"] {
                #expect(try fleet.waitUntil(60, { try fleet.testVersion(name) == 1 }) != nil, "node \(name) did not serve v1")
            }
            // The next rotation, timed from the moment a's commit returned.
            try a.call(Endpoints.beginRotation, .test, .generate())
            try a.call(Endpoints.platformKey, .test, PlatformKeyRequest(platformKey: try TestKeys.key(202).publicKey.pem))
            try a.call(Endpoints.commit, .test)
            let committed = Date()
            var lags: [String: Double] = [:]
            for name in ["b", "c"] {
                guard try fleet.waitUntil(60, { try fleet.testVersion(name) == 2 }) != nil else {
                    Issue.record("node \(name) did not serve v2")
                    return
                }
                lags[name] = Date().timeIntervalSince(committed)
            }
            // Printed for the record; the lag is measured by scripts/bench fleet, not asserted here.
            print("fleet: node a's commit served by b after \(Int(lags["b"]! * 1000)) ms, by c after \(Int(lags["c"]! * 1000)) ms")
            // The same key set everywhere.
            let fingerprints = try ["a", "b", "c"].map {
                try fleet.node($0).call(Endpoints.keySet, .test).merchantPublicKey.fingerprint
            }
            #expect(Set(fingerprints).count == 1 && !fingerprints[0].isEmpty)

            for name in ["a", "b", "c"] {
                let audit = try fleet.node(name).request("GET", "/v1/audit/verify")
                #expect(audit.status == 200, "node \(name)'s audit log: \(audit.text)")
            }
        }
    }

    @Test("changes on two nodes in turn: each starts from the other's, and every node converges on the last")
    func changesInTurn() async throws {
        try await onOwnThread {
            let fleet = try Fleet()
            fleet.reportingNodes { try Self.changeInTurn(fleet) }
        }
    }

    /// b changes the vault, a waits until it has b's change and changes it again; c ends with
    /// a's change. (The store refusing a stale generation is StoreConflictTests, without a race.)
    private static func changeInTurn(_ fleet: Fleet) throws {
        for name in ["a", "b", "c"] { try fleet.start(name) }
        try fleet.node("b").call(
            Endpoints.setUp, .test, SetUpRequest(pid: "2088101122136241", appID: "2021001100600002", accountEmail: "b@example.com"))
        let afterB = try fleet.generation("b") ?? -1
        let sawB = try fleet.waitUntil(60) { try fleet.generation("a") == afterB }
        #expect(afterB > 0 && sawB != nil, "node a never saw node b's change (generation \(afterB))")
        try fleet.node("a").call(Endpoints.setUp, .test, SetUpRequest(accountEmail: "a@example.com"))
        let last = afterB + 1
        let converged = try fleet.waitUntil(60) {
            try fleet.generation("a") == last && fleet.generation("b") == last && fleet.generation("c") == last
        }
        #expect(converged != nil, "the nodes did not converge on generation \(last)")
        let account = try fleet.node("c").call(Endpoints.status).modes[.test]?.account
        #expect(account?.accountEmail == "a@example.com" && account?.appID == "2021001100600002", "a's change built on b's")
    }

    @Test("vault rekey on a fleet node writes the new master key into that node's state directory, never a path made from the store URL")
    func rekeyOnFleetNode() async throws {
        try await onOwnThread {
            let fleet = try Fleet()
            fleet.reportingNodes {
                try fleet.start("a")
                let answer = try fleet.node("a").call(Endpoints.rekey)
                let path = answer.newMasterKeyFile
                let state = fleet.directories["a"]!.file("state")
                #expect(path.hasPrefix(state + "/master-key-") && path.hasSuffix(".new"), "\(path)")
                var info = stat()
                #expect(stat(path, &info) == 0, "no file at \(path)")
                #expect(info.st_mode & 0o777 == 0o600)
                #expect(answer.next.contains(path))
                // The node goes on: its vault is sealed under the new key, in the store too.
                #expect(try fleet.node("a").call(Endpoints.verifyAudit).valid == true)
                #expect(try fleet.health("a") == "ok")
            }
        }
    }

    @Test("PostgreSQL down: every node serves on, control actions fail clearly, a node starts from its local copy; back up: they converge")
    func storeOutage() async throws {
        try await onOwnThread {
            let fleet = try Fleet()
            fleet.reportingNodes {
                for name in ["a", "b", "c"] { try fleet.start(name) }
                try fleet.node("a").call(Endpoints.setUp, .test, SetUpRequest(pid: "2088101122136241", appID: "2021001100600000"))
                try fleet.commitImport(on: "a", merchant: 210, platform: 211)
                try fleet.node("a").call(Endpoints.activate, .test)
                // Ceilings, not measurements (FleetBenchmarkTests and scripts/bench measure the lag):
                // each wait ends as soon as the node serves what it should.
                for name in ["b", "c"] {
                    let served = try fleet.waitUntil(60) { try fleet.testVersion(name) == 1 }
                    #expect(served != nil, "node \(name) did not serve v1")
                }

                try fleet.postgres.stop()
                for name in ["a", "b", "c"] {
                    let degraded = try fleet.waitUntil(60) {
                        try fleet.health(name)?.hasPrefix("degraded: store unreachable since") == true
                    }
                    #expect(degraded != nil, "node \(name) did not report the outage: \((try? fleet.health(name)) ?? "?")")
                    #expect(try fleet.testVersion(name) == 1, "node \(name) stopped serving")
                    let signed = try fleet.node(name).request(
                        "POST", "/v1/keysets/test/sign", body: Array(#"{"text":"a=1&b=2"}"#.utf8))
                    #expect(signed.status == 200, "node \(name) cannot sign without the store: \(signed.text)")
                }
                let refused = try fleet.node("b").request("POST", "/v1/modes/test/rotation", body: Array(#"{"kind":"generate"}"#.utf8))
                #expect(refused.status == 503)
                #expect(refused.text.contains("store.unreachable"), "\(refused.text)")
                let status: String? = try fleet.node("b").call(Endpoints.status).statusLine
                #expect(status?.contains("degraded: store unreachable since") == true, "\(status ?? "-")")

                // Node c restarts while the store is down: it serves its local copy.
                #expect(fleet.node("c").stop() == 0)
                try fleet.start("c")
                #expect(try fleet.testVersion("c") == 1)
                #expect(try fleet.health("c")?.hasPrefix("degraded") == true)

                // The store is back: the nodes notice, and a commit on b reaches a and c.
                try fleet.postgres.start()
                for name in ["a", "b", "c"] {
                    let back = try fleet.waitUntil(60) { try fleet.health(name) == "ok" }
                    #expect(back != nil, "node \(name) still degraded: \((try? fleet.health(name)) ?? "?")")
                }
                try fleet.commitImport(on: "b", merchant: 212, platform: 213)
                for name in ["a", "c"] {
                    let converged = try fleet.waitUntil(60) { try fleet.testVersion(name) == 2 }
                    #expect(converged != nil, "node \(name) did not converge on v2: \(fleet.diagnostics())")
                }
            }
        }
    }
}
