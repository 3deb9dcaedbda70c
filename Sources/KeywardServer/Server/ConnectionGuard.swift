import KeywardConfiguration
import KeywardCrypto
import NIOCore
import NIOHTTP1

/// Timeouts of one connection, shared by the two handlers around the HTTP decoder.
///
/// - From the first byte of a request to its last: `requestTimeout`, else 408 and close
///   (slow or half-sent requests cannot hold a connection).
/// - Between requests on a keep-alive connection: `idleTimeout`, else close.
/// - While a request is being answered (a long-poll watch included): no timer.
package final class ConnectionTimeouts {
    enum Phase {
        case idle
        case receiving
        case processing
    }

    private(set) var phase: Phase = .idle
    /// When the current phase runs out; nil while a request is being answered.
    private var deadline: NIODeadline?
    /// The one timer of the connection and when it fires. It may fire before `deadline`
    /// (the deadline moved later since): then it is set again for the deadline. So a busy
    /// keep-alive connection moves a deadline per request, not a timer.
    private var timer: (task: Scheduled<Void>, at: NIODeadline)?
    /// The context of the handler at the head of the pipeline: raw bytes written through it
    /// go straight to the socket.
    private var headContext: ChannelHandlerContext?
    private let limits: ServerLimits

    init(limits: ServerLimits) {
        self.limits = limits
    }

    func connectionStarted(_ context: ChannelHandlerContext) {
        headContext = context
        expire(context, after: limits.idleTimeout)
    }

    func bytesArrived(_ context: ChannelHandlerContext) {
        guard phase == .idle else { return }
        phase = .receiving
        expire(context, after: limits.requestTimeout)
    }

    func requestComplete() {
        phase = .processing
        deadline = nil
    }

    func responseComplete(_ context: ChannelHandlerContext) {
        phase = .idle
        expire(context, after: limits.idleTimeout)
    }

    func stop() {
        timer?.task.cancel()
        timer = nil
        deadline = nil
        headContext = nil
    }

    private func expire(_ context: ChannelHandlerContext, after duration: Duration) {
        // The loop's clock, not the wall's: an embedded loop (the fuzz target) runs on its own.
        let at = context.eventLoop.now + TimeAmount(duration)
        deadline = at
        if let timer, timer.at <= at { return }
        schedule(context.eventLoop, context.channel, at: at)
    }

    private func schedule(_ eventLoop: any EventLoop, _ channel: any Channel, at: NIODeadline) {
        timer?.task.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        let task = eventLoop.scheduleTask(deadline: at) { loopBound.value.fired(eventLoop, channel) }
        timer = (task, at)
    }

    private func fired(_ eventLoop: any EventLoop, _ channel: any Channel) {
        timer = nil
        guard let deadline else { return }
        if deadline > eventLoop.now {
            schedule(eventLoop, channel, at: deadline)
        } else {
            expired(channel)
        }
    }

    private func expired(_ channel: any Channel) {
        switch phase {
        case .receiving:
            // Too slow: answer 408 straight onto the wire (the decoder is mid-request), close.
            let error = APIError(
                code: .timeout, message: "the request was not received completely in time",
                hint: "send the whole request at once")
            var buffer = channel.allocator.buffer(capacity: 256)
            buffer.writeString(
                "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: \(error.body.count)\r\n\r\n"
            )
            buffer.writeBytes(error.body)
            guard let headContext else {
                channel.close(promise: nil)
                return
            }
            headContext.writeAndFlush(NIOAny(buffer)).whenComplete { _ in channel.close(promise: nil) }
        case .idle:
            channel.close(promise: nil)
        case .processing:
            break
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Sits before the HTTP decoder and notices the first byte of each request.
final class ByteActivityHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeouts: ConnectionTimeouts

    init(timeouts: ConnectionTimeouts) {
        self.timeouts = timeouts
    }

    func channelActive(context: ChannelHandlerContext) {
        timeouts.connectionStarted(context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { timeouts.connectionStarted(context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timeouts.bytesArrived(context)
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeouts.stop()
        context.fireChannelInactive()
    }
}

/// Sits after the HTTP decoder: notes request and response ends, enforces the body limit,
/// and answers malformed HTTP with a JSON 400 instead of dropping the connection silently.
final class RequestPhaseHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeouts: ConnectionTimeouts
    private let maxBodyBytes: Int
    private var bodyBytes = 0
    private var discarding = false

    init(timeouts: ConnectionTimeouts, maxBodyBytes: Int) {
        self.timeouts = timeouts
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            bodyBytes = 0
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes {
                reject(
                    context,
                    APIError(
                        code: .tooLarge,
                        message: "the request body of \(length) bytes is larger than the limit of \(maxBodyBytes)",
                        hint: "send a smaller body"))
                return
            }
            context.fireChannelRead(data)
        case .body(let buffer):
            guard !discarding else { return }
            bodyBytes += buffer.readableBytes
            if bodyBytes > maxBodyBytes {
                reject(
                    context,
                    APIError(
                        code: .tooLarge,
                        message: "the request body is larger than the limit of \(maxBodyBytes) bytes", hint: "send a smaller body"))
                return
            }
            context.fireChannelRead(data)
        case .end:
            guard !discarding else { return }
            timeouts.requestComplete()
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            timeouts.responseComplete(context)
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        reject(
            context,
            APIError(
                code: .malformedHttp, message: "the request is not valid HTTP/1.1 (\(error))",
                hint: "send HTTP/1.1 with a Content-Length or chunked body, not both"))
    }

    /// Answers `error` and closes, whatever state the request was in.
    private func reject(_ context: ChannelHandlerContext, _ error: APIError) {
        discarding = true
        timeouts.stop()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(error.body.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: error.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: error.body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
