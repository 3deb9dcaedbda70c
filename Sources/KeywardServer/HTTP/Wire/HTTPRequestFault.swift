/// Why the bytes on a connection are not a request Keyward answers. Each fault is answered
/// with its status and the connection is closed: after a framing error nothing that follows
/// on the connection can be trusted to start a request.
package enum HTTPRequestFault: Sendable, Equatable, Error {
    // What RFC 9112 (and llhttp, NIO's parser) refuse too.
    case invalidMethod
    case invalidTarget
    case invalidVersion
    case invalidHeaderName
    case invalidHeaderValue
    /// A CR not followed by LF, or a line ending in a bare LF.
    case invalidLineEnding
    case invalidContentLength
    case duplicateContentLength
    /// Both Content-Length and Transfer-Encoding: a smuggling attempt (RFC 9112 6.1).
    case lengthAndChunked
    /// A Transfer-Encoding whose last coding is not chunked.
    case invalidTransferEncoding
    case invalidChunk
    /// A request after one that closes the connection (HTTP/1.0 without keep-alive, `Connection: close`).
    case dataAfterClose
    // Deliberately stricter than llhttp: refused by Keyward, accepted by NIO's parser.
    /// The head (request line and fields) is longer than Keyward's limit.
    case headTooLarge
    /// A body longer than the configured limit (by its Content-Length, or while chunks arrive).
    case bodyTooLarge(limit: Int)
    /// A target that is not origin form of visible ASCII (absolute form, `*`, UTF-8 bytes).
    case targetNotOriginForm
    /// A coding before chunked (gzip, deflate): Keyward decodes none.
    case unsupportedTransferCoding
    /// Chunk extensions and trailer fields: no client of this API sends them.
    case chunkExtensionOrTrailer
    /// Whitespace or a fold where RFC 9112 allows a lenient reading, which Keyward never makes.
    case unexpectedWhitespace

    /// Whether NIO's llhttp-based parser accepts what this fault refuses (the differential
    /// fuzz target allows exactly these disagreements).
    package var isStricterThanLLHTTP: Bool {
        switch self {
        case .headTooLarge, .bodyTooLarge, .targetNotOriginForm, .unsupportedTransferCoding, .chunkExtensionOrTrailer,
            .unexpectedWhitespace:
            true
        default:
            false
        }
    }

    /// The API error the connection answers with.
    var apiError: APIError {
        switch self {
        case .headTooLarge:
            APIError(
                code: .headTooLarge, message: "the request line and header fields are longer than \(RequestHeadParser.maxHeadBytes) bytes",
                hint: "send only the fields the request needs")
        case .bodyTooLarge(let limit):
            APIError(code: .tooLarge, message: "the request body is larger than the limit of \(limit) bytes", hint: "send a smaller body")
        case .unsupportedTransferCoding:
            APIError(
                code: .malformedHttp, message: "the request is not valid HTTP/1.1 for Keyward (\(description))",
                hint: "send the body with a Content-Length, or chunked without other codings")
        default:
            APIError(
                code: .malformedHttp, message: "the request is not valid HTTP/1.1 (\(description))",
                hint: "send HTTP/1.1 with a Content-Length or chunked body, not both")
        }
    }

    /// What was wrong, for the error message (never the bytes themselves).
    package var description: String {
        switch self {
        case .invalidMethod: "the method is not an HTTP method"
        case .invalidTarget: "the request target has a byte not allowed there"
        case .invalidVersion: "the version is not HTTP/1.0 or HTTP/1.1"
        case .invalidHeaderName: "a field name has a byte not allowed in a token"
        case .invalidHeaderValue: "a field value has a control byte"
        case .invalidLineEnding: "a line does not end in CRLF"
        case .invalidContentLength: "Content-Length is not a decimal number"
        case .duplicateContentLength: "Content-Length appears more than once"
        case .lengthAndChunked: "Content-Length and Transfer-Encoding together"
        case .invalidTransferEncoding: "Transfer-Encoding does not end in chunked"
        case .invalidChunk: "a chunk of the chunked body is malformed"
        case .dataAfterClose: "bytes after a request that closes the connection"
        case .headTooLarge: "the head is too large"
        case .bodyTooLarge(let limit): "the body is larger than \(limit) bytes"
        case .targetNotOriginForm: "the target is not a path of visible ASCII starting with /"
        case .unsupportedTransferCoding: "a transfer coding other than chunked"
        case .chunkExtensionOrTrailer: "a chunk extension or trailer field"
        case .unexpectedWhitespace: "whitespace where none is allowed"
        }
    }
}
