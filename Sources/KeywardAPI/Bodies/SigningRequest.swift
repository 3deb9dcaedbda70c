/// The message an Alipay+ request or response signature covers.
public struct AlipayPlusMessage: Codable, Sendable, Equatable {
    public let method: String
    public let path: String
    /// The mode's Client-ID when left out; another mode's or environment's is refused.
    public let clientId: String?
    /// Request-Time for a request, Response-Time for a response.
    public let time: String
    public let body: String
    /// For verification: the `Signature` header value, or the bare base64 signature.
    public let signature: String?

    public init(method: String, path: String, clientId: String?, time: String, body: String, signature: String? = nil) {
        self.method = method
        self.path = path
        self.clientId = clientId
        self.time = time
        self.body = body
        self.signature = signature
    }
}

/// `POST …/sign` and `POST …/verify`: exactly one of base64 `data`, UTF-8 `text` or an
/// Alipay+ message; for verify also the signature and the algorithm.
public struct SigningRequest: Codable, Sendable, Equatable {
    public let data: String?
    public let text: String?
    public let alipayPlus: AlipayPlusMessage?
    public let signature: String?
    /// RSA2 (default) or RSA.
    public let algorithm: String?
    /// verify in certificate mode: the response's `alipay_cert_sn`; the Alipay certificate
    /// with that SN verifies it (without it, every certificate in use is tried).
    public let alipayCertSN: String?

    public init(
        data: String? = nil, text: String? = nil, alipayPlus: AlipayPlusMessage? = nil, signature: String? = nil,
        algorithm: String? = nil, alipayCertSN: String? = nil
    ) {
        self.data = data
        self.text = text
        self.alipayPlus = alipayPlus
        self.signature = signature
        self.alipayCertSN = alipayCertSN
        self.algorithm = algorithm
    }
}
