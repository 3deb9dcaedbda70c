import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardServer
import Logging
import NIOCore
import NIOEmbedded
import Testing

/// The server's own HTTP/1.1 on a connection (`ConnectionPipeline`): order, HEAD, 100-continue,
/// closing, refusals, on an embedded channel.
@Suite("HTTP connection")
struct HTTPConnectionTests {
    /// Answers `GET /doc` (and HEAD) with a 200 of 20 bytes, everything else 404 with a JSON error.
    struct Responder: RequestResponder {
        func answer(_ request: HTTPRequest) -> ImmediateAnswer {
            guard request.path == "/doc" else {
                return .response(
                    HTTPResponse(status: 404, headers: [("Content-Type", "application/json")], body: Array("{\"error\":{}}".utf8)))
            }
            return .response(HTTPResponse(status: 200, headers: [("X-Method", request.method)], body: Array("twenty bytes of body".utf8)))
        }
        func connectionRefused(_ peer: Peer) async {}
        func isKnown(_ peer: Peer) -> Bool { true }
        func releaseHeldRequests() {}
    }

    private func exchange(_ text: String) throws -> (written: String, open: Bool) {
        let channel = EmbeddedChannel()
        _ = try ConnectionPipeline.install(
            on: channel, peer: Peer(uid: 1, gid: 1, pid: 1, groups: []), limits: ServerLimits(), responder: Responder(),
            server: ServerState(), logger: Logger(label: "test"))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/keyward-test")).wait()
        try channel.writeInbound(ByteBuffer(string: text))
        channel.embeddedEventLoop.run()
        var written = ""
        while let part = try channel.readOutbound(as: ByteBuffer.self) { written += String(buffer: part) }
        let open = channel.isActive
        _ = try? channel.finish(acceptAlreadyClosed: true)
        return (written, open)
    }

    @Test("pipelined requests are answered in order, a HEAD without its body")
    func orderAndHead() throws {
        let (written, open) = try exchange(
            "GET /doc HTTP/1.1\r\n\r\nHEAD /doc HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\nGET /doc HTTP/1.1\r\n\r\n")
        let heads = written.components(separatedBy: "HTTP/1.1 ").dropFirst()
        #expect(heads.count == 4)
        #expect(Array(heads).map { String($0.prefix(3)) } == ["200", "200", "404", "200"])
        let headResponse = Array(heads)[1]
        #expect(headResponse.contains("X-Method: HEAD") && headResponse.contains("Content-Length: 20"))
        #expect(!headResponse.contains("twenty bytes"), "a HEAD response carries no body")
        #expect(written.components(separatedBy: "twenty bytes of body").count == 3)
        #expect(open)
    }

    @Test("while the client does not read its answers, no further request is parsed; they go on when it does")
    func backPressure() throws {
        let channel = EmbeddedChannel()
        _ = try ConnectionPipeline.install(
            on: channel, peer: Peer(uid: 1, gid: 1, pid: 1, groups: []), limits: ServerLimits(), responder: Responder(),
            server: ServerState(), logger: Logger(label: "test"))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/keyward-test")).wait()
        channel.isWritable = false
        try channel.writeInbound(ByteBuffer(string: String(repeating: "GET /doc HTTP/1.1\r\n\r\n", count: 3)))
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "nothing answered while the send buffer is full")
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.run()
        var written = ""
        while let part = try channel.readOutbound(as: ByteBuffer.self) { written += String(buffer: part) }
        #expect(written.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }

    @Test("a client that expects 100-continue gets it before the answer")
    func expectContinue() throws {
        let (written, _) = try exchange("POST /doc HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(written == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    @Test("Connection: close is answered, said so, and the connection closes")
    func close() throws {
        let (written, open) = try exchange("GET /doc HTTP/1.1\r\nConnection: close\r\n\r\nGET /doc HTTP/1.1\r\n\r\n")
        #expect(written.hasPrefix("HTTP/1.1 200 OK\r\n") && written.contains("Connection: close\r\n"))
        #expect(written.components(separatedBy: "HTTP/1.1 ").count == 2, "nothing after the closing request is answered")
        #expect(!open)
    }

    @Test("malformed bytes get a JSON 400 with Connection: close, and the connection closes")
    func malformed() throws {
        let (written, open) = try exchange("GET /doc HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
        #expect(written.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(written.contains("Connection: close") && written.contains("request.malformed-http"))
        #expect(!open)
    }
}
