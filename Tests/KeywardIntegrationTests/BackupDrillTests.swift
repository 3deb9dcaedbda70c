import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Synchronization
import Testing

/// The recovery drill of docs/operations.md with the real binaries: a backup under load, the
/// state directory and its master key destroyed, a restore with only the backup and the
/// recovery key, and a new keywardd that serves the same key sets with an intact audit chain.
@Suite("backup and recovery drill")
struct BackupDrillTests {
    @Test("backup under load, destroy everything, restore with the recovery key: the same key sets, the audit chain intact")
    func drill() throws {
        let offline = try TemporaryDirectory(prefix: "keyward-offline")
        let generated = try ProcessRunner.run(
            ProcessRunner.product("keywardctl"), ["recovery-key", "generate", "recovery"], directory: offline.path)
        #expect(generated.status == 0, "\(generated.standardError)")
        let state = try TemporaryDirectory(prefix: "keywardd")
        try state.write("recovery.pub", try offline.read("recovery_public_key.pem"))
        var daemon: DaemonHarness? = try DaemonHarness(directory: state)
        func ctl(_ arguments: [String], on harness: DaemonHarness) throws -> ProcessResult {
            let result = try harness.keywardctl(arguments)
            #expect(result.status == 0, "keywardctl \(arguments.joined(separator: " ")): \(result.standardError)")
            return result
        }
        let first = try #require(daemon)
        #expect(try ctl(["status"], on: first).output.contains("no backup has been made yet"))
        try first.directory.write("platform.pem", try TestKeys.key(150).publicKey.pem)
        try first.directory.write("live-platform.pem", try TestKeys.key(151).publicKey.pem)
        for arguments in [
            ["setup", "test", "--pid", "2088101122136241", "--app-id", "2021001100600000"], ["rotate", "test", "--generate"],
            ["platform-key", "test", "--platform-key", "platform.pem"], ["commit", "test"], ["activate", "test"],
            ["setup", "live", "--client-id", "2188120000000001"], ["rotate", "live", "--generate"],
            ["platform-key", "live", "--platform-key", "live-platform.pem"], ["commit", "live"], ["activate", "live"],
        ] {
            _ = try ctl(arguments, on: first)
        }
        let before = try Mode.allCases.map { try first.call(Endpoints.keySet, $0) }

        // Readers keep reading while the backup is made: none fails.
        let failures = Atomic<Int>(0)
        let reads = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let readers = (0..<4).map { _ in
            Thread {
                while !stop.load(ordering: .relaxed) {
                    let status = (try? first.request("GET", "/v1/keysets/test").status) ?? 0
                    if status == 200 { reads.add(1, ordering: .relaxed) } else { failures.add(1, ordering: .relaxed) }
                }
            }
        }
        readers.forEach { $0.start() }
        _ = try ctl(["backup", "create", "--out", offline.file("keyward.kwbackup")], on: first)
        stop.store(true, ordering: .relaxed)
        usleep(100_000)
        #expect(failures.load(ordering: .relaxed) == 0 && reads.load(ordering: .relaxed) > 0)
        let metrics = String(decoding: try first.request("GET", "/metrics").body, as: UTF8.self)
        #expect(
            metrics.contains("keyward_backup_last_success_timestamp_seconds ")
                && !metrics.contains("keyward_backup_last_success_timestamp_seconds 0\n"))
        #expect(!(try ctl(["status"], on: first).output.contains("no backup")))
        let verified = try first.keywardctl([
            "backup", "verify", offline.file("keyward.kwbackup"), "--recovery-key", offline.file("recovery_private_key.pem"),
        ])
        #expect(verified.status == 0 && verified.output.contains("test v1, live v1"), "\(verified.output) \(verified.standardError)")

        // The host is lost: the state directory and its master key go.
        #expect(first.stop() == 0)
        daemon = nil
        try FileManager.default.removeItem(atPath: state.path)

        let restoredState = try TemporaryDirectory(prefix: "keywardd-restored")
        try FileManager.default.removeItem(atPath: restoredState.path)
        let restore = try ProcessRunner.run(
            ProcessRunner.product("keywardctl"),
            [
                "backup", "restore", offline.file("keyward.kwbackup"), "--recovery-key", offline.file("recovery_private_key.pem"),
                "--state-directory", restoredState.path, "--new-master-key-file", offline.file("new-master.key"),
            ], directory: offline.path)
        #expect(restore.status == 0, "\(restore.standardError)")
        try restoredState.write("master.key", try offline.read("new-master.key"))
        chmod(restoredState.file("master.key"), 0o600)
        let second = try DaemonHarness(directory: restoredState)
        let after = try Mode.allCases.map { try second.call(Endpoints.keySet, $0) }
        for (old, new) in zip(before, after) {
            #expect(old.version == new.version && old.mode == new.mode)
            #expect(old.merchantPublicKey == new.merchantPublicKey && old.platformPublicKey == new.platformPublicKey)
            #expect(old.pid == new.pid && old.appID == new.appID && old.clientID == new.clientID)
        }
        #expect(try second.call(Endpoints.verifyAudit).valid)
        let audit = try second.call(Endpoints.audit).entries.map(\.action)
        #expect(audit.contains("restore") && audit.filter { $0 == "commit" }.count == 2)
        // Signing works with the restored key: it verifies under the merchant public key served before.
        let signed = try second.keywardctl(["sign", "test", "--text", "a=1&b=2"])
        #expect(signed.status == 0, "\(signed.standardError)")
    }
}
