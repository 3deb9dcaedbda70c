/// What Keyward reads of a request head: the request line and the few fields that matter to
/// this API. Every other field is checked for well-formedness and skipped, never stored.
package struct RequestHead: Sendable, Equatable {
    /// How the request's body is delimited.
    package enum BodyFraming: Sendable, Equatable {
        /// No Content-Length and no Transfer-Encoding: no body.
        case none
        case length(Int)
        case chunked
    }

    package var method: String
    /// The request target as sent (origin form: the path and query, not decoded).
    package var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    package var minorVersion: Int
    package var framing: BodyFraming
    /// Whether the connection stays open after the response (HTTP/1.1 unless `Connection:
    /// close`; HTTP/1.0 only with `Connection: keep-alive`).
    package var keepAlive: Bool
    /// The last `If-None-Match` field, as sent.
    package var ifNoneMatch: String?
    /// `Expect: 100-continue`: the client waits for a 100 before it sends the body.
    package var expectsContinue: Bool
    /// `Connection: upgrade` with an `Upgrade` field. Keyward upgrades to nothing and answers
    /// the request as HTTP/1.1 (RFC 9110 7.8 lets a server ignore the field).
    package var asksUpgrade: Bool

    package init(
        method: String, target: String, minorVersion: Int = 1, framing: BodyFraming = .none, keepAlive: Bool = true,
        ifNoneMatch: String? = nil, expectsContinue: Bool = false, asksUpgrade: Bool = false
    ) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.framing = framing
        self.keepAlive = keepAlive
        self.ifNoneMatch = ifNoneMatch
        self.expectsContinue = expectsContinue
        self.asksUpgrade = asksUpgrade
    }
}
