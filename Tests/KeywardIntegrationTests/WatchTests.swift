import Foundation
import KeywardAPI
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Long-poll watches, which the server parks on the snapshot board and answers on its event
/// loop: a commit answers all of them, an exporting mode audits the export before any
/// private key leaves, and a watch whose client went away leaves nothing behind.
@Suite("long-poll watches")
struct WatchTests {
    @Test("a commit answers every parked watch once; an exported private key is audited once per version before it is sent")
    func commitAnswersEveryWatch() async throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 120, platform: 121)
        let etag = try #require(try daemon.request("GET", "/v1/keysets/test").headers["etag"])
        let watch = Array("GET /v1/keysets/test?wait=30 HTTP/1.1\r\nHost: k\r\nIf-None-Match: \(etag)\r\n\r\n".utf8)

        let watchers = try (0..<8).map { _ in try RawHTTP(socketPath: daemon.socketPath, timeout: 20) }
        for watcher in watchers { try watcher.send(watch) }
        // One more watch whose client hangs up: it must not stay parked.
        do {
            let leaving = try RawHTTP(socketPath: daemon.socketPath)
            try leaving.send(watch)
        }
        try await waitForWatchers(daemon, count: 8)

        let privateKey = try TestKeys.key(122).exported(as: PrivateKeyFormat(.pkcs1, .pem)).withUnsafeBytes {
            String(decoding: $0, as: UTF8.self)
        }
        let platformKey = try TestKeys.key(123).publicKey.pem
        try daemon.call(Endpoints.beginRotation, .test, .oneClick(privateKey: privateKey, platformKey: platformKey))
        try daemon.call(Endpoints.commit, .test)

        nonisolated(unsafe) let parked = watchers  // read on one other thread only, then dropped
        let answers = try await onOwnThread { try parked.map { try $0.readResponse() } }
        for answer in answers {
            #expect(answer.status == 200)
            let document = try answer.decode(KeySetDocument.self)
            #expect(document.version == 2)
            #expect(document.merchantPrivateKey != nil, "test mode exports the private key by default")
        }
        let entries = try daemon.call(Endpoints.audit, query: "limit=1000").entries
        let exports = entries.filter { $0.action == "export-private-key" && $0.record.detail == "v2" }
        #expect(exports.count == 1, "one audit entry for eight readers of one uid: \(exports)")
        #expect(try metricValue(daemon, "keyward_watchers{mode=\"test\"}") == 0)
        #expect(try metricValue(daemon, "keyward_watch_woken{mode=\"test\"}") == 8, "the eight watches the commit woke")
        let wake = try #require(try metricText(daemon, "keyward_watch_wake_seconds{mode=\"test\"}").flatMap(Double.init))
        #expect(wake > 0 && wake < 30, "publication to the slowest answer: \(wake) s")
    }

    @Test("a private key whose export cannot be audited is not sent: 503, and the read succeeds once the log is writable")
    func exportNeedsItsAuditEntry() throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 126, platform: 127)
        // Nothing has read version 1 yet, so its first export must write an audit entry.
        let log = daemon.directory.file("audit.log")
        #expect(FileManager.default.fileExists(atPath: log))
        try FileManager.default.moveItem(atPath: log, toPath: log + ".aside")
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: false)
        let refused = try daemon.request("GET", "/v1/keysets/test")
        #expect(refused.status == 503)
        #expect(refused.text.contains("audit.write-failed"))
        #expect(!refused.text.contains("PRIVATE KEY") && !refused.text.contains("merchantPrivateKey"))

        try FileManager.default.removeItem(atPath: log)
        try FileManager.default.moveItem(atPath: log + ".aside", toPath: log)
        let served = try daemon.request("GET", "/v1/keysets/test")
        #expect(served.status == 200)
        #expect(try served.decode(KeySetDocument.self).merchantPrivateKey != nil)
        #expect(try daemon.call(Endpoints.verifyAudit).valid == true)
    }

    @Test("a read of a mode that is not served sends no key and audits no export")
    func notServedIsNoExport() async throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 126, platform: 127)
        try daemon.call(Endpoints.deactivate, .test)
        for _ in 0..<2 {
            let read = try daemon.request("GET", "/v1/keysets/test")
            #expect(read.status == 404)
            #expect(read.text.contains("mode.not-served"))
        }
        let audit = try daemon.call(Endpoints.audit)
        let actions = audit.entries.map(\.action)
        #expect(!actions.contains("export-private-key"), "\(actions)")
        // Served again: the first read exports, and that is audited once.
        try daemon.call(Endpoints.activate, .test)
        #expect(try daemon.request("GET", "/v1/keysets/test").status == 200)
        let after = try daemon.call(Endpoints.audit)
        let exports = after.entries.filter { $0.action == "export-private-key" }
        #expect(exports.count == 1)
    }

    @Test("verify answers matched and keyVersion always: null for a signature no key verifies")
    func verifyAnswerShape() async throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 128, platform: 129)
        let text = "a=1&b=2"
        let signature = Base64Text.encode(try TestKeys.key(129).signature(for: text))
        let valid = try daemon.call(Endpoints.verify, .test, SigningRequest(text: text, signature: signature))
        #expect(valid == VerifyAnswer(valid: true, matched: .current, keyVersion: "1", algorithm: "RSA2"))
        let invalid = try daemon.request(
            "POST", "/v1/keysets/test/verify", body: Array(#"{"text":"a=1&b=3","signature":"\#(signature)"}"#.utf8))
        #expect(invalid.status == 200)
        #expect(try invalid.decode(VerifyAnswer.self) == VerifyAnswer(valid: false, matched: nil, keyVersion: nil, algorithm: "RSA2"))
        // Present as null, not left out (docs/api.md).
        #expect(invalid.text.contains(#""matched":null"#) && invalid.text.contains(#""keyVersion":null"#), "\(invalid.text)")
    }

    @Test("a bad wait is a 400; shutdown answers a parked watch (even one asking for 1e9 s) with 304 and closes")
    func waitBoundsAndShutdown() async throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 124, platform: 125)
        let etag = try #require(try daemon.request("GET", "/v1/keysets/test").headers["etag"])
        let bad = try daemon.request("GET", "/v1/keysets/test?wait=soon", headers: ["If-None-Match": etag])
        #expect(bad.status == 400)
        #expect(bad.text.contains("request.bad-wait"))

        let watcher = try RawHTTP(socketPath: daemon.socketPath, timeout: 20)
        try watcher.send(Array("GET /v1/keysets/test?wait=1e9 HTTP/1.1\r\nHost: k\r\nIf-None-Match: \(etag)\r\n\r\n".utf8))
        try await waitForWatchers(daemon, count: 1)
        #expect(daemon.stop() == 0)
        nonisolated(unsafe) let parked = watcher  // read on one other thread only
        let answer = try await onOwnThread { try parked.readResponse() }
        #expect(answer.status == 304)
        #expect(answer.headers["etag"] == etag)
        #expect(answer.headers["connection"]?.lowercased() == "close")
    }

    private func waitForWatchers(_ daemon: DaemonHarness, count: Int) async throws {
        for _ in 0..<200 {
            if try metricValue(daemon, "keyward_watchers{mode=\"test\"}") == count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the daemon never had exactly \(count) parked watches")
    }

    private func metricValue(_ daemon: DaemonHarness, _ series: String) throws -> Int? {
        try metricText(daemon, series).flatMap { Int($0) }
    }

    private func metricText(_ daemon: DaemonHarness, _ series: String) throws -> String? {
        let text = try daemon.request("GET", "/metrics").text
        return text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { $0.split(separator: " ").last.map(String.init) }
    }
}
