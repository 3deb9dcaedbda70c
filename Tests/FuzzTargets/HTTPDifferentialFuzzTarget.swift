import KeywardServer
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// The same bytes through Keyward's request reader (`RequestReader`) and through NIO's
/// llhttp-based `HTTPRequestDecoder`; any disagreement about what the requests are (method,
/// target, version, keep-alive, If-None-Match, body bytes) or whether they are valid is a
/// finding.
///
/// The one disagreement allowed: Keyward refuses, for a reason it names as stricter than
/// llhttp (`HTTPRequestFault.isStricterThanLLHTTP`: a head over 16 KiB, a target not in
/// origin form, codings before chunked, chunk extensions and trailers, lenient whitespace),
/// what llhttp accepts. Keyward never accepts what llhttp refuses.
enum HTTPDifferentialFuzzTarget {
    /// What both parsers agree a request is.
    struct Request: Equatable, CustomStringConvertible {
        var method: String
        var target: String
        var minorVersion: Int
        var keepAlive: Bool
        var ifNoneMatch: String?
        var body: [UInt8]

        var description: String {
            "\(method) \(target.prefix(60)) HTTP/1.\(minorVersion) keepAlive=\(keepAlive) ifNoneMatch=\(ifNoneMatch ?? "-") body=\(body.count)B"
        }
    }

    /// How a parser's reading of the bytes ended.
    enum End: Equatable {
        /// More bytes would be needed for another request (or there are none).
        case incomplete
        case refused(String)
        /// NIO: the last request asked for an upgrade; NIO parses nothing after it.
        case upgrade
    }

    struct Reading {
        var requests: [Request] = []
        var end = End.incomplete
        /// Keyward's refusal was one it names as stricter than llhttp.
        var stricter = false
        var fault: HTTPRequestFault?
    }

    /// Keyward's body limit is set far above any fuzz input, so only framing is compared.
    private static let bodyLimit = 1 << 24

    static func run(_ input: [UInt8]) -> [String] {
        let findings = compare(ours: keyward(input), nio: nio(input))
        guard findings.count == 1, findings[0].hasSuffix(waiting) else { return findings }
        // One parser refused what the other still waits on: where an invalid request becomes
        // detectable differs (llhttp sees some faults later, some earlier). Ending the head and
        // any chunked body must settle it; what stays open either way is not a disagreement.
        let completed = input + Array("\r\n\r\n0\r\n\r\n".utf8)
        let settled = compare(ours: keyward(completed), nio: nio(completed))
        return settled.count == 1 && settled[0].hasSuffix(waiting) ? [] : settled
    }

    private static let waiting = "waits for more"

    static func keyward(_ input: [UInt8]) -> Reading {
        var reader = RequestReader(maxBodyBytes: bodyLimit)
        reader.receive(ByteBuffer(bytes: input))
        var reading = Reading()
        while true {
            switch reader.next() {
            case .request(let head, let body):
                reading.requests.append(
                    Request(
                        method: head.method, target: head.target, minorVersion: head.minorVersion, keepAlive: head.keepAlive,
                        ifNoneMatch: head.ifNoneMatch, body: body.bytes))
            case .continueWanted:
                continue
            case .needMore:
                return reading
            case .fault(let fault):
                reading.end = .refused(fault.description)
                reading.stricter = fault.isStricterThanLLHTTP
                reading.fault = fault
                return reading
            }
        }
    }

    static func nio(_ input: [UInt8]) -> Reading {
        let collector = PartCollector()
        let channel = EmbeddedChannel()
        do {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            try channel.pipeline.syncOperations.addHandler(collector)
        } catch {
            fatalError("keyward-fuzz: NIO's decoder could not be set up: \(error)")
        }
        _ = try? channel.writeInbound(ByteBuffer(bytes: input))
        // What was read before the end of the input (an end of stream would refuse a part-sent
        // request, which a connection does not do while it is open).
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        var reading = Reading()
        if let upgrade = collector.upgradeAt {
            reading.requests = Array(collector.heads[...upgrade])
            reading.end = .upgrade
        } else {
            reading.requests = Array(collector.heads.prefix(collector.ended))
            if let error = collector.error { reading.end = .refused("\(error)") }
        }
        return reading
    }

    static func compare(ours: Reading, nio: Reading) -> [String] {
        var findings: [String] = []
        var nioRequests = nio.requests
        var oursRequests = ours.requests
        if nio.end == .upgrade, let last = nioRequests.indices.last {
            // llhttp stops at an upgrade: its head is compared, its body and what follows are not.
            nioRequests[last].body = []
            if oursRequests.indices.contains(last) {
                oursRequests[last].body = []
                oursRequests.removeSubrange((last + 1)...)
            }
        }
        for (index, (mine, theirs)) in zip(oursRequests, nioRequests).enumerated() where mine != theirs {
            findings.append("request \(index): Keyward read \(mine), NIO read \(theirs)")
        }
        if !findings.isEmpty { return findings }
        // Past an upgrade llhttp reads nothing more: what Keyward makes of those bytes is its own.
        if nio.end == .upgrade && oursRequests.count >= nioRequests.count { return [] }
        // llhttp hands an upgrade request's connection over at the end of its head, before it
        // judges the body's framing; Keyward upgrades nothing and judges it.
        if nio.end == .upgrade && oursRequests.count == nioRequests.count - 1 {
            let framing: [HTTPRequestFault] = [.lengthAndChunked, .invalidTransferEncoding, .invalidChunk, .chunkExtensionOrTrailer]
            if ours.end == .incomplete || ours.fault.map(framing.contains) == true { return [] }
        }
        let refusedByUsOnly = ours.stricter && oursRequests.count <= nioRequests.count
        switch (oursRequests.count, nioRequests.count) {
        case let (mine, theirs) where mine == theirs:
            switch (ours.end, nio.end) {
            case (.incomplete, .incomplete), (.refused, .refused), (.incomplete, .upgrade):
                break
            case (.refused(let why), .incomplete) where !ours.stricter:
                findings.append("Keyward refuses after \(mine) requests (\(why)); NIO \(waiting)")
            case (.refused(let why), _) where !ours.stricter:
                findings.append("Keyward refuses after \(mine) requests (\(why)); NIO does not")
            case (.incomplete, .refused(let why)):
                findings.append("NIO refuses after \(mine) requests (\(why)); Keyward waits for more")
            default:
                break
            }
        case let (mine, theirs) where mine < theirs:
            if case .refused(let why) = ours.end, !refusedByUsOnly {
                findings.append("Keyward refuses request \(mine) (\(why)); NIO reads it: \(nioRequests[mine])")
            } else if ours.end == .incomplete {
                findings.append("NIO reads request \(mine) (\(nioRequests[mine])); Keyward waits for more")
            }
        case (_, let theirs):
            findings.append(
                "Keyward reads request \(theirs) (\(oursRequests[theirs])); NIO \(nio.end == .incomplete ? "waits for more" : "refuses it")"
            )
        }
        return findings
    }

    static func seeds() -> [[UInt8]] {
        HTTPFuzzTarget.seeds()
            + [
                "GET /v1/keysets/test HTTP/1.0\r\nConnection: keep-alive\r\nIf-None-Match: \"test-1\"\r\n\r\n",
                "POST /v1/keysets/test/sign HTTP/1.1\r\nHost: k\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
                "PUT /v1/modes/test/account HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=1\r\nab\r\n0\r\nTrailer: x\r\n\r\n",
                "GET /v1/health HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\nGET /v1/health HTTP/1.1\r\n\r\n",
                "GET /v1/health HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
                "\r\nGET /v1/health HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
            ].map { Array($0.utf8) }
    }
}

/// Collects what NIO's decoder reads: every head with its body, how many requests ended,
/// where an upgrade stopped it, and its error.
private final class PartCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    var heads: [HTTPDifferentialFuzzTarget.Request] = []
    var ended = 0
    var upgradeAt: Int?
    var error: (any Error)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let method = head.method == .MSEARCH ? "M-SEARCH" : head.method.rawValue
            heads.append(
                HTTPDifferentialFuzzTarget.Request(
                    method: method, target: head.uri, minorVersion: head.version.minor, keepAlive: head.isKeepAlive,
                    ifNoneMatch: head.headers["if-none-match"].last.map(Self.withoutTrailingWhitespace), body: []))
            let connection = head.headers[canonicalForm: "connection"].map { $0.lowercased() }
            let upgrade = connection.contains("upgrade") && head.headers.contains(name: "upgrade") || head.method == .CONNECT
            if upgrade && upgradeAt == nil { upgradeAt = heads.count - 1 }
        case .body(let buffer):
            if !heads.isEmpty { heads[heads.count - 1].body += buffer.readableBytesView }
        case .end:
            ended += 1
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.error == nil { self.error = error }
    }

    /// A field value as RFC 9110 5.5 defines it: without trailing whitespace, which llhttp
    /// leaves in (and Keyward does not: `If-None-Match: "test-3" ` matches the ETag).
    private static func withoutTrailingWhitespace(_ value: String) -> String {
        var value = Substring(value)
        while let last = value.last, last == " " || last == "\t" { value.removeLast() }
        return String(value)
    }
}
