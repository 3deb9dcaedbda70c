import KeywardConfiguration
import KeywardCore
import KeywardServer
import Logging
import NIOCore
import NIOEmbedded
import Testing

/// The connection timers (request 10 s, idle 60 s, none while a request is answered) on the
/// server's own pipeline, with an embedded loop's virtual clock.
@Suite("connection timeouts")
struct ConnectionTimeoutTests {
    /// Answers every request with 204 at once, or holds a watch for 300 s.
    struct Responder: RequestResponder {
        let board = SnapshotBoard(
            contents: VaultContents(),
            access: AccessPolicy(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false), daemonUID: 0))

        func answer(_ request: HTTPRequest) -> ImmediateAnswer {
            guard request.path == "/hold" else { return .response(HTTPResponse(status: 204, body: [])) }
            return .hold(
                HeldRequest(board: board, mode: .test, revision: 0, timeout: .seconds(300)) { _ in
                    .response(HTTPResponse(status: 304, body: []))
                })
        }
        func connectionRefused(_ peer: Peer) async {}
        func isKnown(_ peer: Peer) -> Bool { true }
        func releaseHeldRequests() {}
    }

    private func connection() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        _ = try ConnectionPipeline.install(
            on: channel, peer: Peer(uid: 1, gid: 1, pid: 1, groups: []), limits: ServerLimits(), responder: Responder(),
            server: ServerState(), logger: Logger(label: "test"))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/keyward-test")).wait()
        return channel
    }

    private func send(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
        channel.embeddedEventLoop.run()
    }

    private func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let part = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = part { text += String(buffer: buffer) }
        }
        return text
    }

    @Test("a busy keep-alive connection stays open; 60 s idle after the last response closes it")
    func idleTimeoutFollowsTheLastResponse() throws {
        let channel = try connection()
        for _ in 0..<3 {
            try send(channel, "GET /a HTTP/1.1\r\nHost: k\r\n\r\n")
            #expect(try written(channel).hasPrefix("HTTP/1.1 204"))
            channel.embeddedEventLoop.advanceTime(by: .seconds(50))
            #expect(channel.isActive, "50 s after a response is within the idle timeout")
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(11))
        #expect(!channel.isActive, "61 s after the last response the connection is closed")
    }

    @Test("a request not complete within 10 s gets 408 and the connection closes")
    func requestTimeout() throws {
        let channel = try connection()
        try send(channel, "GET /a HTTP/1.1\r\nHo")
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        #expect(try written(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try written(channel).hasPrefix("HTTP/1.1 408"))
        #expect(!channel.isActive)
    }

    @Test("no timer runs while a request is answered: a watch held 300 s keeps its connection")
    func noTimeoutWhileProcessing() throws {
        let channel = try connection()
        try send(channel, "GET /hold HTTP/1.1\r\nHost: k\r\n\r\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(299))
        #expect(channel.isActive)
        #expect(try written(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try written(channel).hasPrefix("HTTP/1.1 304"))
        #expect(channel.isActive, "the answered connection is idle again, not closed")
        channel.embeddedEventLoop.advanceTime(by: .seconds(61))
        #expect(!channel.isActive)
    }
}
