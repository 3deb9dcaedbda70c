import Glibc
package import NIOCore

/// Turns the bytes of one connection into requests, one at a time: the head by
/// `RequestHeadParser`, the body by its Content-Length or `ChunkedBodyReader`, into a
/// `RequestBody` of its own.
///
/// The bytes stay in the buffer they arrived in while a head is incomplete (a request that
/// arrives in one read is parsed where it lies, with no copy). Body bytes are zeroed in that
/// buffer once copied out, where the buffer is not shared (see docs/security.md).
package struct RequestReader {
    package enum Event {
        /// A complete request.
        case request(RequestHead, RequestBody)
        /// The head asked for `100 Continue` before its body: send it, then call again.
        case continueWanted
        /// No complete request in the bytes so far.
        case needMore
        /// The bytes are not a request Keyward answers; nothing more is read from them.
        case fault(HTTPRequestFault)
    }

    private enum State {
        case head
        case body(RequestHead, RequestBody, remaining: Int)
        case chunked(RequestHead, RequestBody, ChunkedBodyReader)
        /// After a request that closes the connection: only empty lines may follow.
        case closed
        case failed
    }

    private let maxBodyBytes: Int
    private var buffer = ByteBuffer()
    private var parser = RequestHeadParser()
    private var state = State.head

    package init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether bytes of a next request have arrived (or a request is part-read).
    package var hasPartialRequest: Bool {
        switch state {
        case .head: buffer.readableBytes > 0
        case .closed, .failed: false
        case .body, .chunked: true
        }
    }

    /// Adds bytes read from the connection.
    package mutating func receive(_ bytes: ByteBuffer) {
        guard case .failed = state else {
            if buffer.readableBytes == 0 {
                buffer = bytes
            } else {
                buffer.writeImmutableBuffer(bytes)
            }
            return
        }
    }

    /// The next request in the bytes so far, or why there is none.
    package mutating func next() -> Event {
        switch state {
        case .failed:
            return .needMore
        case .closed:
            let stray = buffer.withUnsafeReadableBytes { bytes in bytes.contains { $0 != ASCII.cr && $0 != ASCII.lf } }
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return stray ? fail(.dataAfterClose) : .needMore
        case .head:
            guard buffer.readableBytes > 0 else { return .needMore }
            let progress = buffer.withUnsafeReadableBytes { parser.parse($0) }
            switch progress {
            case .incomplete:
                return .needMore
            case .fault(let fault):
                return fail(fault)
            case .complete(let head, let length):
                buffer.moveReaderIndex(forwardBy: length)
                return started(head)
            }
        case .body(let head, let body, let remaining):
            let taken = min(remaining, buffer.readableBytes)
            if taken > 0 { take(taken) { body.append($0) } }
            guard taken == remaining else {
                state = .body(head, body, remaining: remaining - taken)
                return .needMore
            }
            return finished(head, body)
        case .chunked(let head, let body, var chunked):
            var outcome = ChunkedBodyReader.Result.incomplete
            let limit = maxBodyBytes
            take(
                buffer.readableBytes,
                upTo: { bytes in
                    let (consumed, result) = chunked.read(bytes, into: body, limit: limit)
                    outcome = result
                    return consumed
                })
            switch outcome {
            case .incomplete:
                state = .chunked(head, body, chunked)
                return .needMore
            case .complete:
                return finished(head, body)
            case .fault(let fault):
                return fail(fault)
            }
        }
    }

    /// After a complete head: the body's state, or the request when it has no body.
    private mutating func started(_ head: RequestHead) -> Event {
        switch head.framing {
        case .none, .length(0):
            return finished(head, RequestBody())
        case .length(let length):
            guard length <= maxBodyBytes else { return fail(.bodyTooLarge(limit: maxBodyBytes)) }
            let body = RequestBody()
            body.reserve(length)
            state = .body(head, body, remaining: length)
        case .chunked:
            state = .chunked(head, RequestBody(), ChunkedBodyReader())
        }
        if head.expectsContinue && buffer.readableBytes == 0 { return .continueWanted }
        return next()
    }

    private mutating func finished(_ head: RequestHead, _ body: RequestBody) -> Event {
        state = head.keepAlive ? .head : .closed
        if buffer.readableBytes == 0 { buffer = ByteBuffer() }  // let go of the read buffer
        return .request(head, body)
    }

    private mutating func fail(_ fault: HTTPRequestFault) -> Event {
        state = .failed
        buffer = ByteBuffer()
        return .fault(fault)
    }

    /// Hands the first `count` readable bytes to `use`, then zeroes and consumes them.
    private mutating func take(_ count: Int, _ use: (UnsafeRawBufferPointer) -> Void) {
        take(count) { bytes in
            use(bytes)
            return bytes.count
        }
    }

    /// Hands up to `count` readable bytes to `use`, which says how many it consumed; those
    /// are zeroed and consumed.
    ///
    /// The zeroing writes into the storage the bytes were read into, shared or not: the other
    /// holder is the channel's pool of receive buffers, which reads nothing from it and reuses it
    /// for the next read. A copy-on-write would zero a copy and leave the body in the pool.
    private mutating func take(_ count: Int, upTo use: (UnsafeRawBufferPointer) -> Int) {
        let consumed = buffer.withUnsafeReadableBytes { bytes in
            let window = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
            let consumed = use(window)
            if consumed > 0 { explicit_bzero(UnsafeMutableRawPointer(mutating: window.baseAddress!), consumed) }
            return consumed
        }
        buffer.moveReaderIndex(forwardBy: consumed)
    }
}
