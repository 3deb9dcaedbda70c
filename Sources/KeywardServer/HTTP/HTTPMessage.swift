import KeywardCrypto
public import NIOCore

/// A complete HTTP request as the router sees it.
public struct HTTPRequest: Sendable {
    public let method: String
    /// The path without the query string, percent-decoding not applied.
    public let path: String
    public let query: [String: String]
    /// Header names in lowercase.
    public let headers: [String: String]
    /// Zeroed by the connection once the answer is written.
    public let body: RequestBody
    public let peer: Peer

    public init(method: String, uri: String, headers: [String: String], body: [UInt8], peer: Peer) {
        self.init(method: method, uri: uri, headers: headers, body: RequestBody(body), peer: peer)
    }

    public init(method: String, uri: String, headers: [String: String], body: RequestBody, peer: Peer) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = String(parts[0])
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[String(keyValue[0])] = keyValue.count == 2 ? String(keyValue[1]) : ""
            }
        }
        self.query = query
        self.headers = headers
        self.body = body
        self.peer = peer
    }
}

/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    /// A `ByteBuffer`, so a document rendered once per commit is sent without a copy.
    public var body: ByteBuffer

    public init(status: Int, headers: [(String, String)] = [], body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
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
