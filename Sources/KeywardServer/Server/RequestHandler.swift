import KeywardCore
import Logging
import NIOCore

/// The last handler of a connection: assembles each request and answers it.
///
/// A request is offered to the responder's `answer` here on the event loop, once: health,
/// key-set reads and long-poll watches are answered without leaving it. Work the answer
/// hands back runs on the concurrency pool and its response comes back here.
/// `HTTPConnectionHandler` before this one delivers one request at a time, so responses
/// keep the order of their requests.
final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = IncomingRequest
    typealias OutboundOut = OutgoingResponse

    private let peer: Peer
    private let responder: any RequestResponder
    private let server: ServerState
    private let logger: Logger
    /// The watch this connection has parked (its deadline is the connection's timer).
    private var parked: (ticket: SnapshotBoard.WatchTicket, board: SnapshotBoard)?
    private let timeouts: ConnectionTimeouts
    /// The request being answered is a HEAD: its response goes without its body.
    private var headOnly = false

    init(peer: Peer, responder: any RequestResponder, server: ServerState, timeouts: ConnectionTimeouts, logger: Logger) {
        self.peer = peer
        self.timeouts = timeouts
        self.responder = responder
        self.server = server
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let incoming = unwrapInboundIn(data)
        let head = incoming.head
        let request = HTTPRequest(method: head.method, target: head.target, ifNoneMatch: head.ifNoneMatch, body: incoming.body, peer: peer)
        headOnly = head.method == "HEAD"
        answer(request, keepAlive: head.keepAlive, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        endWatch()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection ended with an error", metadata: ["keyward.peer_uid": "\(peer.uid)", "error": "\(error)"])
        context.close(promise: nil)
    }

    private func answer(_ request: HTTPRequest, keepAlive: Bool, context: ChannelHandlerContext) {
        send(responder.answer(request), for: request, keepAlive: keepAlive, context: context)
    }

    private func send(_ answer: ImmediateAnswer, for request: HTTPRequest, keepAlive: Bool, context: ChannelHandlerContext) {
        switch answer {
        case .response(let response):
            request.body.wipe()  // answered: the body (perhaps a private key) is not needed any more
            write(response, keepAlive: keepAlive, context: context)
        case .hold(let held):
            hold(held, request, keepAlive: keepAlive, context: context)
        case .pooled(let pool, let job):
            let reply = replyFromElsewhere(for: request, keepAlive: keepAlive, context: context)
            pool.submit { reply(job()) }
        case .later(let work):
            let reply = replyFromElsewhere(for: request, keepAlive: keepAlive, context: context)
            Task { reply(await work()) }
        case .deferred(let start):
            start(replyFromElsewhere(for: request, keepAlive: keepAlive, context: context))
        }
    }

    /// How an answer made on another thread comes back: the body is wiped there, and the
    /// response is written on the connection's own loop.
    private func replyFromElsewhere(for request: HTTPRequest, keepAlive: Bool, context: ChannelHandlerContext)
        -> @Sendable (HTTPResponse) -> Void
    {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        return { response in
            request.body.wipe()
            loopBound.eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.write(response, keepAlive: keepAlive, context: context)
            }
        }
    }

    /// Parks a watch on the board; the commit (or the timer, or shutdown) answers it here.
    private func hold(_ held: HeldRequest, _ request: HTTPRequest, keepAlive: Bool, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let ticket = held.board.watch(held.mode, after: held.revision) { snapshot in
            // A commit calls every watcher's handler in turn on the committing thread: leave
            // it at a hand-over, and build the answer on the connection's own loop.
            loopBound.eventLoop.execute {
                let answer = held.answer(snapshot)
                let (handler, context) = loopBound.value
                handler.parked = nil
                handler.timeouts.endHold()
                handler.send(answer.immediate, for: request, keepAlive: keepAlive, context: context)
            }
        }
        guard let ticket else { return }
        let board = held.board
        parked = (ticket, board)
        timeouts.hold(context, for: held.timeout) { board.cancelWatch(ticket) }
    }

    private func endWatch() {
        guard let parked else { return }
        self.parked = nil
        parked.board.cancelWatch(parked.ticket)
    }

    private func write(_ response: HTTPResponse, keepAlive requested: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let keepAlive = requested && !server.isDraining
        context.writeAndFlush(
            wrapOutboundOut(OutgoingResponse(response: response, keepAlive: keepAlive, headOnly: headOnly)), promise: nil)
    }
}
