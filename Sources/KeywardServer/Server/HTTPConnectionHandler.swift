import KeywardConfiguration
import NIOCore

/// A request read off the connection, for `RequestHandler`.
struct IncomingRequest {
    let head: RequestHead
    let body: RequestBody
}

/// A response for the connection to send; `keepAlive` false closes it once sent.
struct OutgoingResponse {
    let response: HTTPResponse
    let keepAlive: Bool
    /// The answer to a HEAD request: the head (with the body's length), no body (RFC 9110 9.3.2).
    var headOnly = false
}

/// HTTP/1.1 on one connection, in one handler: bytes in, requests out; responses in, bytes out.
///
/// - Requests are read by `RequestReader` one at a time. While one is answered, the next is
///   not parsed and nothing more is read from the socket (reads are held back); its response
///   ends the hold. While the socket's send buffer is full (the client does not read its
///   answers), no request is parsed and nothing is read either: a client that pipelines
///   without reading cannot make Keyward queue responses without bound.
/// - A response is its head and its body in one write (a prepared head for the key set).
/// - Bytes that are not a request get a JSON error with `Connection: close`, and the
///   connection closes once it is sent; nothing after them is read.
/// - The connection's timers (`ConnectionTimeouts`) follow the request's phases.
final class HTTPConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = IncomingRequest
    typealias OutboundIn = OutgoingResponse
    typealias OutboundOut = ByteBuffer

    private let timeouts: ConnectionTimeouts
    private var reader: RequestReader
    /// A request is being answered: no parsing and no reading until its response.
    private var answering = false
    /// A read the channel asked for while a request was answered.
    private var readHeldBack = false
    /// Inside `deliverRequests`: a response written meanwhile does not start another pass.
    private var delivering = false
    /// A fault was answered: the connection closes, nothing more is read.
    private var failed = false

    init(timeouts: ConnectionTimeouts, maxBodyBytes: Int) {
        self.timeouts = timeouts
        self.reader = RequestReader(maxBodyBytes: maxBodyBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { timeouts.connectionStarted(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        timeouts.connectionStarted(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeouts.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        timeouts.bytesArrived(context)
        reader.receive(unwrapInboundIn(data))
        deliverRequests(context)
    }

    /// Hands complete requests on, one at a time, until one is being answered or the bytes run out.
    private func deliverRequests(_ context: ChannelHandlerContext) {
        guard !delivering else { return }
        delivering = true
        defer { delivering = false }
        while !answering && !failed && context.channel.isWritable {
            switch reader.next() {
            case .request(let head, let body):
                answering = true
                timeouts.requestComplete()
                context.fireChannelRead(wrapInboundOut(IncomingRequest(head: head, body: body)))
            case .continueWanted:
                context.writeAndFlush(wrapOutboundOut(Self.continueResponse), promise: nil)
            case .needMore:
                return
            case .fault(let fault):
                reject(context, fault.apiError)
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let outgoing = unwrapOutboundIn(data)
        let (head, body) = Self.encode(outgoing, allocator: context.channel.allocator)
        var sent = promise
        if !outgoing.keepAlive {
            failed = true  // nothing more is read on a connection about to close
            let closing = context.eventLoop.makePromise(of: Void.self)
            let channel = context.channel
            closing.futureResult.whenComplete { result in
                channel.close(promise: nil)
                promise?.completeWith(result)
            }
            sent = closing
        }
        if let body {
            context.write(wrapOutboundOut(head), promise: nil)
            context.write(wrapOutboundOut(body), promise: sent)
        } else {
            context.write(wrapOutboundOut(head), promise: sent)
        }
        if outgoing.keepAlive { responseSent(context) }
    }

    /// The bytes of a response: its head (prepared or written now) and, apart, a body too
    /// large to copy behind the head. Both leave in one writev when flushed.
    private static func encode(_ outgoing: OutgoingResponse, allocator: ByteBufferAllocator) -> (ByteBuffer, ByteBuffer?) {
        let response = outgoing.response
        let sendsBody = ResponseHeadWriter.hasBody(response.status) && !outgoing.headOnly
        let body = sendsBody && response.body.readableBytes > 0 ? response.body : nil
        if outgoing.keepAlive, let head = response.preparedHead { return (head, body) }
        var head = allocator.buffer(capacity: 192 + (body.map { min($0.readableBytes, 1024) } ?? 0))
        ResponseHeadWriter.write(response, keepAlive: outgoing.keepAlive, into: &head)
        guard var body else { return (head, nil) }
        guard body.readableBytes <= 1024 else { return (head, body) }
        head.writeBuffer(&body)
        return (head, nil)
    }

    /// The response is written: the connection waits for (or goes on with) the next request.
    private func responseSent(_ context: ChannelHandlerContext) {
        answering = false
        timeouts.responseComplete(context)
        if reader.hasPartialRequest { timeouts.bytesArrived(context) }
        if readHeldBack && context.channel.isWritable {
            readHeldBack = false
            context.read()
        }
        deliverRequests(context)
    }

    func read(context: ChannelHandlerContext) {
        if answering || failed || !context.channel.isWritable {
            readHeldBack = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && !answering && !failed {
            deliverRequests(context)
            if readHeldBack && !answering {
                readHeldBack = false
                context.read()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    /// Answers `error` and closes, whatever state the request was in.
    private func reject(_ context: ChannelHandlerContext, _ error: APIError) {
        failed = true
        timeouts.stop()
        var buffer = context.channel.allocator.buffer(capacity: 256 + error.body.count)
        ResponseHeadWriter.write(HTTPResponse.error(error), keepAlive: false, into: &buffer)
        buffer.writeBytes(error.body)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    private static let continueResponse = ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\n")
}
