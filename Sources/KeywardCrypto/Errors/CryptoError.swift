extension CryptoError {
    static func openSSL(_ operation: String) -> CryptoError {
        CryptoError(
            code: .openssl,
            message: "OpenSSL failed in \(operation): \(OpenSSLErrorQueue.drain())",
            hint: "this is not caused by your input; report it with the OpenSSL version (`openssl version`)"
        )
    }
}
