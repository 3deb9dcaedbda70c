import Foundation
import KeywardConfiguration
import KeywardServer
import KeywardServerTestSupport
import Logging
import NIOCore
import NIOEmbedded

/// Bytes from a client, through the server's own connection pipeline
/// (`ConnectionPipeline.install`) on an embedded channel, answered by the real router.
///
/// Invariants: everything written back is whole HTTP/1.1 responses; no response is a 500
/// (an error the router did not expect); every response but a 304 or 204 names its length;
/// every error has the JSON error shape; bytes in always get bytes back.
enum HTTPFuzzTarget {
    private static let logger: Logger = {
        var logger = Logger(label: "keyward-fuzz")
        logger.logLevel = .critical
        return logger
    }()

    static func run(_ input: [UInt8]) -> [String] {
        guard let fixture = try? FuzzRouter.shared() else { return ["the router fixture could not be built"] }
        return check(input, written: exchange(input, as: FuzzRouter.client, fixture))
    }

    /// What the server writes back to `input` from a reader and signer of test mode.
    static func written(_ input: [UInt8]) throws -> [UInt8] {
        exchange(input, as: FuzzRouter.client, try FuzzRouter.shared())
    }

    /// Bytes in always get bytes back: a response, a 400 for bad HTTP, or a 408 once the
    /// request timer ran out.
    private static func check(_ input: [UInt8], written: [UInt8]) -> [String] {
        if !input.isEmpty && written.isEmpty { return ["\(input.count) bytes in, nothing written back"] }
        return check(written)
    }

    /// The input is a JSON body; its first byte picks the route.
    static func runJSON(_ input: [UInt8]) -> [String] {
        guard let fixture = try? FuzzRouter.shared(), let selector = input.first else { return [] }
        let routes = jsonRoutes
        let (method, path) = routes[Int(selector) % routes.count]
        let body = Array(input.dropFirst())
        // The signing path's own JSON reader must read every body as Foundation's decoder does.
        if let disagreement = SigningJSONAgreement.disagreement(body) { return [disagreement] }
        let request = Array(
            "\(method) \(path) HTTP/1.1\r\nHost: k\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        return check(request + body, written: exchange(request + body, as: FuzzRouter.operatorPeer, fixture))
    }

    private static let jsonRoutes = [
        ("POST", "/v1/keysets/test/sign"), ("POST", "/v1/keysets/test/verify"), ("PUT", "/v1/modes/test/account"),
        ("POST", "/v1/modes/test/rotation"), ("POST", "/v1/modes/test/rotation/platform-key"), ("POST", "/v1/keysets/live/sign"),
    ]

    private static func exchange(_ input: [UInt8], as peer: Peer, _ fixture: RouterFixture) -> [UInt8] {
        let channel = EmbeddedChannel()
        let responder = BlockingResponder(router: fixture.router)
        do {
            _ = try ConnectionPipeline.install(
                on: channel, peer: peer, limits: ServerLimits(), responder: responder, server: ServerState(), logger: logger)
            try channel.connect(to: SocketAddress(unixDomainSocketPath: "/keyward-fuzz")).wait()
        } catch {
            fatalError("keyward-fuzz: the connection pipeline could not be built: \(error)")
        }
        _ = try? channel.writeInbound(ByteBuffer(bytes: input))
        channel.embeddedEventLoop.run()
        // Past every timer: parked watches answer 304, half-sent requests get their 408.
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        var written: [UInt8] = []
        while let part = try? channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = part { written += buffer.readableBytesView }
        }
        _ = try? channel.finish(acceptAlreadyClosed: true)
        channel.embeddedEventLoop.run()
        return written
    }

    /// Splits the written bytes into responses and checks each.
    static func check(_ written: [UInt8]) -> [String] {
        var findings: [String] = []
        var rest = written[...]
        while !rest.isEmpty {
            guard let headEnd = rest.firstRange(of: Array("\r\n\r\n".utf8)) else {
                return findings + [
                    "bytes after the last response are not a response head: \(String(decoding: rest.prefix(80), as: UTF8.self))"
                ]
            }
            let head = String(decoding: rest[rest.startIndex..<headEnd.lowerBound], as: UTF8.self)
            let lines = head.split(separator: "\r\n")
            let statusLine = lines.first.map(String.init) ?? ""
            let parts = statusLine.split(separator: " ")
            guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
                return findings + ["not an HTTP/1.1 status line: \(statusLine.prefix(80))"]
            }
            if status >= 500 && status != 503 { findings.append("status \(status): \(statusLine)") }
            let length = lines.dropFirst().compactMap { line -> Int? in
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2, pair[0].lowercased() == "content-length" else { return nil }
                return Int(pair[1].trimmingCharacters(in: .whitespaces))
            }.first
            // 304 and 204 have no body by definition (RFC 9110), so no length either.
            let bodiless = status == 304 || status == 204
            guard let length = length ?? (bodiless ? 0 : nil) else {
                return findings + ["a response without Content-Length: \(statusLine)"]
            }
            let bodyStart = headEnd.upperBound
            guard rest.distance(from: bodyStart, to: rest.endIndex) >= length else {
                return findings + ["a response shorter than its Content-Length: \(statusLine)"]
            }
            let body = rest[bodyStart..<rest.index(bodyStart, offsetBy: length)]
            if status >= 400 && !String(decoding: body, as: UTF8.self).hasPrefix("{\"error\":") {
                findings.append("an error response without the JSON error shape: \(statusLine)")
            }
            rest = rest[rest.index(bodyStart, offsetBy: length)...]
        }
        return findings
    }

    static func seeds() -> [[UInt8]] {
        [
            "GET /v1/keysets/test HTTP/1.1\r\nHost: k\r\n\r\n",
            "GET /v1/health HTTP/1.1\r\nHost: k\r\n\r\nGET /v1/keysets/live HTTP/1.1\r\nHost: k\r\nConnection: close\r\n\r\n",
            "GET /v1/keysets/test?wait=0.01 HTTP/1.1\r\nHost: k\r\nIf-None-Match: \"test-4\"\r\n\r\n",
            "GET /v1/keysets/test/previous HTTP/1.1\r\nHost: k\r\n\r\n",
            "POST /v1/keysets/test/sign HTTP/1.1\r\nHost: k\r\nContent-Length: 14\r\n\r\n{\"text\":\"abc\"}",
            "POST /v1/keysets/test/verify HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"tex\r\n22\r\nt\":\"a\",\"signature\":\"AAAA\",\"x\":[]}\r\n0\r\n\r\n",
            "POST /v1/modes/test/rotation HTTP/1.1\r\nHost: k\r\nContent-Length: 20\r\n\r\n{\"kind\":\"generate\"}",
            "GET /metrics HTTP/1.1\r\nHost: k\r\n\r\nGET /v1/status HTTP/1.1\r\n\r\n",
            "DELETE /v1/keysets/../../etc/passwd HTTP/1.1\r\nHost: k\r\n\r\n",
        ].map { Array($0.utf8) }
    }

    static func jsonSeeds() -> [[UInt8]] {
        [
            "\u{0}{\"text\":\"app_id=1&method=alipay.trade.query\"}",
            "\u{0}{\"alipayPlus\":{\"method\":\"POST\",\"path\":\"/ams/api/v1/payments/pay\",\"clientId\":\"SANDBOX\",\"time\":\"2026-01-01T00:00:00Z\",\"body\":\"{}\"}}",
            "\u{1}{\"data\":\"aGVsbG8=\",\"signature\":\"AAAA\",\"algorithm\":\"RSA\"}",
            "\u{2}{\"pid\":\"2088101122136241\",\"appID\":\"2021001100600000\",\"accountEmail\":\"a@b.c\"}",
            "\u{3}{\"kind\":\"own-keys\",\"publicKey\":\"MIIBIjANBg\"}",
            "\u{4}{\"platformKey\":\"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\"}",
        ].map { Array($0.utf8) }
    }
}

/// The router, with its asynchronous path run to completion on the spot: an embedded
/// channel has no real event loop to come back to.
private struct BlockingResponder: RequestResponder {
    let router: Router

    func answer(_ request: HTTPRequest) -> ImmediateAnswer {
        let answer = router.answer(request)
        switch answer {
        case .later(let work):
            return .response((try? blocking { await work() }) ?? HTTPResponse(status: 599, body: []))
        case .pooled(_, let job):
            return .response(job())
        case .deferred(let start):
            return .response((try? blocking { await ImmediateAnswer.deferred(start).resolved() }) ?? HTTPResponse(status: 599, body: []))
        default:
            return answer
        }
    }

    func connectionRefused(_ peer: Peer) async {}
    func isKnown(_ peer: Peer) -> Bool { router.isKnown(peer) }
    func releaseHeldRequests() {}
}
