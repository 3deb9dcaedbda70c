import Foundation
import KeywardFuzzTargets
import KeywardTestSupport
import Testing

/// Every fuzz target's seeds, and every input the fuzzer ever found a problem with
/// (Tests/Fuzz/regressions/TARGET/), replayed through the same target functions the fuzzer
/// runs: a fixed finding stays fixed.
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions")

    @Test("seeds and saved findings hold every invariant", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) async throws {
        let directory = Self.regressions.appendingPathComponent(target.rawValue)
        let saved = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let inputs = try await onOwnThread { () throws -> [(String, [UInt8])] in
            let seeds = try target.seeds().enumerated().map { ("seed \($0.offset)", $0.element) }
            let files = try saved.sorted().map { name in
                (name, Array(try Data(contentsOf: directory.appendingPathComponent(name))))
            }
            return seeds + files
        }
        #expect(inputs.count >= 2)
        // The targets block on async work, so they run on a thread of their own.
        let findings = try await onOwnThread { inputs.flatMap { name, bytes in target.run(bytes).map { "\(name): \($0)" } } }
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test("the HTTP target reaches the router: reads, signing, refusals, watches, 400 and 408")
    func httpTargetReachesTheRouter() async throws {
        let exchanges = try await onOwnThread {
            let first = try FuzzTarget.httpExchange("GET /v1/keysets/test HTTP/1.1\r\nHost: k\r\n\r\n")
            let etag = first.split(separator: "\r\n").first { $0.lowercased().hasPrefix("etag: ") }?.dropFirst(6) ?? "none"
            return try [
                "GET /v1/keysets/test HTTP/1.1\r\nHost: k\r\n\r\n",
                "POST /v1/keysets/test/sign HTTP/1.1\r\nHost: k\r\nContent-Length: 14\r\n\r\n{\"text\":\"abc\"}",
                "POST /v1/modes/test/activate HTTP/1.1\r\nHost: k\r\nContent-Length: 0\r\n\r\n",
                "GET /v1/keysets/test?wait=5 HTTP/1.1\r\nHost: k\r\nIf-None-Match: \(etag)\r\n\r\n",
                "GET /v1/keysets/test HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                "GET /v1/keysets/te",
            ].map(FuzzTarget.httpExchange)
        }
        #expect(exchanges[0].hasPrefix("HTTP/1.1 200") && exchanges[0].contains("\"version\":1"), "\(exchanges[0].prefix(200))")
        #expect(exchanges[1].hasPrefix("HTTP/1.1 200") && exchanges[1].contains("\"signature\""), "\(exchanges[1].prefix(200))")
        #expect(exchanges[2].hasPrefix("HTTP/1.1 403"), "\(exchanges[2].prefix(200))")
        #expect(exchanges[3].hasPrefix("HTTP/1.1 304"), "\(exchanges[3].prefix(200))")
        #expect(exchanges[4].hasPrefix("HTTP/1.1 400"), "\(exchanges[4].prefix(200))")
        #expect(exchanges[5].hasPrefix("HTTP/1.1 408"), "\(exchanges[5].prefix(200))")
    }

    @Test("the HTTP check catches what it must: a 500, a missing length, a short body, a bare error")
    func checkIsNotVacuous() {
        func run(_ text: String) -> [String] { FuzzTarget.checkHTTP(Array(text.utf8)) }
        #expect(run("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}").isEmpty)
        #expect(!run("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 11\r\n\r\n{\"error\":1}").isEmpty)
        #expect(!run("HTTP/1.1 200 OK\r\n\r\n{}").isEmpty)
        #expect(!run("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}").isEmpty)
        #expect(!run("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno").isEmpty)
        #expect(!run("garbage").isEmpty)
    }
}
