import KeywardConfiguration
import KeywardCrypto
import NIOCore

/// Timeouts of one connection, driven by its `HTTPConnectionHandler`.
///
/// - From the first byte of a request to its last: `requestTimeout`, else 408 and close
///   (slow or half-sent requests cannot hold a connection).
/// - Between requests on a keep-alive connection: `idleTimeout`, else close.
/// - While a request is being answered: no timer, except for a parked watch, which ends at
///   its own deadline (`hold`): the same one timer, moved, never a timer per watch (NIO
///   cancels a scheduled task by a linear search of its loop's timers: a thousand watches
///   answered by one commit would each pay for the thousand others).
package final class ConnectionTimeouts {
    enum Phase {
        case idle
        case receiving
        case processing
    }

    private(set) var phase: Phase = .idle
    /// When the current phase runs out; nil while a request is being answered.
    private var deadline: NIODeadline?
    /// What ends a parked watch when its deadline comes.
    private var holdExpired: (() -> Void)?
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

    /// The request being answered is parked until `duration` from now, then `expired` runs
    /// (unless a response came first).
    func hold(_ context: ChannelHandlerContext, for duration: Duration, expired: @escaping () -> Void) {
        holdExpired = expired
        expire(context, after: duration)
    }

    /// The parked watch was answered: its deadline no longer applies.
    func endHold() {
        holdExpired = nil
        deadline = nil
    }

    func responseComplete(_ context: ChannelHandlerContext) {
        holdExpired = nil
        phase = .idle
        expire(context, after: limits.idleTimeout)
    }

    func stop() {
        holdExpired = nil
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
            // Too slow: answer 408 straight onto the wire (the request is half-read), close.
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
            let expired = holdExpired
            holdExpired = nil
            deadline = nil
            expired?()
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
