import KeywardCrypto
public import NIOCore

/// A complete HTTP request as the router sees it: the request line and the one field the API
/// reads (`If-None-Match`); no dictionary is built per request.
public struct HTTPRequest: Sendable {
    public let method: String
    /// The target as sent, path and query, not percent-decoded.
    public let target: String
    /// The path: the target up to `?` (the same string when there is no query).
    public let path: String
    /// What follows `?` in the target (empty when none).
    private let queryText: Substring
    public let ifNoneMatch: String?
    /// Zeroed by the connection once the answer is written.
    public let body: RequestBody
    public let peer: Peer

    public init(method: String, target: String, ifNoneMatch: String?, body: RequestBody, peer: Peer) {
        self.method = method
        self.target = target
        if let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(target[..<question])
            queryText = target[target.index(after: question)...]
        } else {
            path = target
            queryText = ""
        }
        self.ifNoneMatch = ifNoneMatch
        self.body = body
        self.peer = peer
    }

    /// For tests and tools: `headers` by any case; only If-None-Match is kept.
    public init(method: String, uri: String, headers: [String: String], body: RequestBody, peer: Peer) {
        let tag = headers.first { $0.key.lowercased() == "if-none-match" }?.value
        self.init(method: method, target: uri, ifNoneMatch: tag, body: body, peer: peer)
    }

    public init(method: String, uri: String, headers: [String: String], body: [UInt8], peer: Peer) {
        self.init(method: method, uri: uri, headers: headers, body: RequestBody(body), peer: peer)
    }

    /// The value of the first `name=value` pair of the query named `name` (not decoded);
    /// "" for a name without `=`.
    public func query(_ name: String) -> String? {
        for pair in queryText.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count == 2 ? String(parts[1]) : "" }
        }
        return nil
    }
}

/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    /// A `ByteBuffer`, so a document rendered once per commit is sent without a copy.
    public var body: ByteBuffer
    /// The whole head for a keep-alive connection, built once with a document served many
    /// times (the key set): sent as it is, with the body, in one write.
    var preparedHead: ByteBuffer?

    public init(status: Int, headers: [(String, String)] = [], body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// This response with its keep-alive head built now, for sending many times.
    func prepared() -> HTTPResponse {
        var response = self
        response.preparedHead = ResponseHeadWriter.prepared(self)
        return response
    }

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
        self.init(status: status, headers: headers, body: ByteBuffer(bytes: body))
    }

    /// A JSON response.
    static func json(_ status: Int = 200, _ body: ByteBuffer, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    static func json(_ status: Int = 200, _ body: [UInt8], headers: [(String, String)] = []) -> HTTPResponse {
        .json(status, ByteBuffer(bytes: body), headers: headers)
    }

    static func json(_ status: Int = 200, encoding value: some Encodable) throws -> HTTPResponse {
        .json(status, try JSON.encode(value))
    }

    static func error(_ error: APIError) -> HTTPResponse {
        .json(error.status, error.body)
    }
}
