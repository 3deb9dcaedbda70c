/// Reads a chunked body (RFC 9112 7.1) as it arrives, into the request's `RequestBody`.
///
/// Hex sizes, CRLF after each size and each chunk, a zero chunk, then the empty line.
/// Chunk extensions and trailer fields are refused (no client of this API sends them).
struct ChunkedBodyReader {
    private enum State {
        case size
        case sizeLineEnd
        case data(remaining: Int)
        case dataEnd
        case dataLineEnd
        case trailer
        case lastLineEnd
    }

    enum Result: Equatable {
        case incomplete
        case complete
        case fault(HTTPRequestFault)
    }

    private var state = State.size
    private var size = 0
    private var sizeDigits = 0
    private var total = 0

    /// Reads what it can of `bytes`; returns how many it consumed and where the body stands.
    mutating func read(_ bytes: UnsafeRawBufferPointer, into body: RequestBody, limit: Int) -> (consumed: Int, result: Result) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch state {
            case .size:
                if let digit = ASCII.hexValue(byte) {
                    size = size * 16 + digit
                    sizeDigits += 1
                    guard total + size <= limit else { return (index, .fault(.bodyTooLarge(limit: limit))) }
                } else if byte == ASCII.cr && sizeDigits > 0 {
                    state = .sizeLineEnd
                } else if byte == ASCII.semicolon && sizeDigits > 0 {
                    return (index, .fault(.chunkExtensionOrTrailer))
                } else {
                    return (index, .fault(.invalidChunk))
                }
                index += 1
            case .sizeLineEnd:
                guard byte == ASCII.lf else { return (index, .fault(.invalidChunk)) }
                index += 1
                state = size == 0 ? .trailer : .data(remaining: size)
                total += size
                size = 0
                sizeDigits = 0
            case .data(let remaining):
                let taken = min(remaining, bytes.count - index)
                body.append(UnsafeRawBufferPointer(rebasing: bytes[index..<index + taken]))
                index += taken
                state = taken == remaining ? .dataEnd : .data(remaining: remaining - taken)
            case .dataEnd:
                guard byte == ASCII.cr else { return (index, .fault(.invalidChunk)) }
                index += 1
                state = .dataLineEnd
            case .dataLineEnd:
                guard byte == ASCII.lf else { return (index, .fault(.invalidChunk)) }
                index += 1
                state = .size
            case .trailer:
                guard byte == ASCII.cr else {
                    return (index, .fault(ASCII.isToken(byte) ? .chunkExtensionOrTrailer : .invalidChunk))
                }
                index += 1
                state = .lastLineEnd
            case .lastLineEnd:
                guard byte == ASCII.lf else { return (index, .fault(.invalidChunk)) }
                return (index + 1, .complete)
            }
        }
        return (index, .incomplete)
    }
}
