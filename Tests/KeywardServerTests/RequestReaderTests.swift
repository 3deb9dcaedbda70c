import NIOCore
import Testing

@testable import KeywardServer

/// Keyward's HTTP/1.1 request reader: what it reads, in one piece or a byte at a time, and
/// what it refuses (the differential fuzz target compares it with NIO's llhttp decoder).
@Suite("HTTP request reader")
struct RequestReaderTests {
    /// Everything the reader makes of `chunks`, fed in order.
    private func read(_ chunks: [[UInt8]], maxBody: Int = 64 * 1024) -> (requests: [(RequestHead, [UInt8])], fault: HTTPRequestFault?) {
        var reader = RequestReader(maxBodyBytes: maxBody)
        var requests: [(RequestHead, [UInt8])] = []
        for chunk in chunks {
            reader.receive(ByteBuffer(bytes: chunk))
            loop: while true {
                switch reader.next() {
                case .request(let head, let body): requests.append((head, body.bytes))
                case .continueWanted: continue
                case .needMore: break loop
                case .fault(let fault): return (requests, fault)
                }
            }
        }
        return (requests, nil)
    }

    private static let pipelined = Array(
        ("GET /v1/keysets/test?wait=5 HTTP/1.1\r\nHost: k\r\nIf-None-Match: \"test-3\"\r\n\r\n"
            + "POST /v1/keysets/test/sign HTTP/1.1\r\ncontent-length: 14\r\n\r\n{\"text\":\"abc\"}"
            + "POST /v1/keysets/test/verify HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"tex\r\n9\r\nt\":\"abc\"}\r\n0\r\n\r\n"
            + "GET /v1/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
            + "GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n").utf8)

    @Test("pipelined requests read the same in one piece and a byte at a time")
    func pieces() throws {
        let whole = read([Self.pipelined])
        let trickled = read(Self.pipelined.map { [$0] })
        #expect(whole.fault == nil && trickled.fault == nil)
        #expect(whole.requests.count == 5)
        #expect(whole.requests.map(\.0) == trickled.requests.map(\.0))
        #expect(whole.requests.map(\.1) == trickled.requests.map(\.1))
        let heads = whole.requests.map(\.0)
        #expect(heads[0].method == "GET" && heads[0].target == "/v1/keysets/test?wait=5" && heads[0].ifNoneMatch == "\"test-3\"")
        #expect(heads[1].framing == .length(14) && whole.requests[1].1 == Array("{\"text\":\"abc\"}".utf8))
        #expect(heads[2].framing == .chunked && whole.requests[2].1 == Array("{\"text\":\"abc\"}".utf8))
        #expect(heads[3].minorVersion == 0 && heads[3].keepAlive)
        #expect(!heads[4].keepAlive)
    }

    @Test(
        "malformed and smuggling requests are refused with the reason",
        arguments: [
            ("BREW /x HTTP/1.1\r\n\r\n", HTTPRequestFault.invalidMethod),
            ("GET /x HTTP/2.0\r\n\r\n", .invalidVersion),
            ("GET /x  HTTP/1.1\r\n\r\n", .unexpectedWhitespace),
            ("GET http://k/x HTTP/1.1\r\n\r\n", .targetNotOriginForm),
            ("GET /\u{1}x HTTP/1.1\r\n\r\n", .invalidTarget),
            ("GET /x HTTP/1.1\nHost: k\r\n\r\n", .invalidVersion),
            ("GET /x HTTP/1.1\r\nHost: k\n\r\n", .invalidLineEnding),
            ("GET /x HTTP/1.1\r\nHost : k\r\n\r\n", .invalidHeaderName),
            ("GET /x HTTP/1.1\r\nX: a\u{1}b\r\n\r\n", .invalidHeaderValue),
            ("GET /x HTTP/1.1\r\nX: a\r\n b\r\n\r\n", .unexpectedWhitespace),
            ("POST /x HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .lengthAndChunked),
            ("POST /x HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", .duplicateContentLength),
            ("POST /x HTTP/1.1\r\nContent-Length: -2\r\n\r\n", .invalidContentLength),
            ("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", .invalidTransferEncoding),
            ("PUT /x HTTP/1.1\r\nTransfer-Encoding: ,\r\n\r\n0\r\n\r\n", .invalidTransferEncoding),
            ("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding),
            ("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", .invalidChunk),
            ("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b\r\nx\r\n0\r\n\r\n", .chunkExtensionOrTrailer),
            ("GET /x HTTP/1.0\r\n\r\nGET /y HTTP/1.0\r\n\r\n", .dataAfterClose),
        ])
    func refusals(_ input: String, _ expected: HTTPRequestFault) {
        #expect(read([Array(input.utf8)]).fault == expected)
        #expect(read(Array(input.utf8).map { [$0] }).fault == expected, "a byte at a time")
    }

    @Test("a head over 16 KiB and a body over the limit are refused before they are read")
    func limits() {
        let big = "GET /x HTTP/1.1\r\nX: " + String(repeating: "a", count: 17_000) + "\r\n\r\n"
        #expect(read([Array(big.utf8)]).fault == .headTooLarge)
        #expect(read([Array("POST /x HTTP/1.1\r\nContent-Length: 70000\r\n\r\n".utf8)]).fault == .bodyTooLarge(limit: 65_536))
        let chunked = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10001\r\n" + String(repeating: "b", count: 100)
        #expect(read([Array(chunked.utf8)]).fault == .bodyTooLarge(limit: 65_536))
        #expect(read([Array("PROP".utf8)]).fault == nil, "a method still being sent")
        #expect(read([Array("BX".utf8)]).fault == .invalidMethod, "no method starts so")
    }

    @Test("a field value is read without the whitespace around it (RFC 9110 5.5; llhttp keeps trailing whitespace)")
    func fieldWhitespace() throws {
        let read = read([Array("GET /x HTTP/1.1\r\nIf-None-Match: \t \"test-3\" \t\r\n\r\n".utf8)])
        #expect(read.requests.first?.0.ifNoneMatch == "\"test-3\"")
    }

    @Test("a client that expects 100-continue is told to send its body")
    func expectContinue() {
        var reader = RequestReader(maxBodyBytes: 1024)
        reader.receive(ByteBuffer(string: "POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"))
        guard case .continueWanted = reader.next() else {
            Issue.record("no 100-continue")
            return
        }
        guard case .needMore = reader.next() else {
            Issue.record("a request without its body")
            return
        }
        reader.receive(ByteBuffer(string: "{}"))
        guard case .request(_, let body) = reader.next() else {
            Issue.record("no request")
            return
        }
        #expect(body.bytes == Array("{}".utf8))
    }

    @Test("body bytes are zeroed in the buffer they were read into, also when it is shared")
    func bodyZeroedInReadBuffer() {
        let secret = "{\"privateKey\":\"SECRET-MARKER\"}"
        let read = ByteBuffer(string: "POST /x HTTP/1.1\r\nContent-Length: \(secret.utf8.count)\r\n\r\n\(secret)")
        var reader = RequestReader(maxBodyBytes: 1024)
        reader.receive(read)  // `read` keeps a reference, as the channel's buffer pool does
        guard case .request(_, let body) = reader.next() else {
            Issue.record("no request")
            return
        }
        #expect(body.bytes == Array(secret.utf8))
        let left = Array(read.readableBytesView)
        #expect(!left.contains(UInt8(ascii: "S")) || String(decoding: left, as: UTF8.self).contains("SECRET") == false)
        #expect(left.suffix(secret.utf8.count).allSatisfy { $0 == 0 })
    }
}
