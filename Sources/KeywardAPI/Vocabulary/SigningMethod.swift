/// How a mode's requests are signed and its responses verified (the dashboard's 接口加签方式).
public enum SigningMethod: String, Sendable, Codable, CaseIterable {
    /// Public key mode: the platform's public key (the "Alipay public key") verifies responses.
    case publicKey = "public-key"
    /// Public key certificate mode (公钥证书): the app certificate, the Alipay certificate and
    /// the Alipay root certificate; every request names `app_cert_sn` and `alipay_root_cert_sn`.
    case certificate
}
