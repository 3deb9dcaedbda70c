import CKeywardOpenSSL

extension RSAPublicKey {
    /// Whether `signature` is a valid RSA2 (or legacy RSA) signature of `message` by the
    /// private half of this key. A malformed signature is simply not valid.
    public func isValidSignature(
        _ signature: [UInt8],
        for message: UnsafeRawBufferPointer,
        algorithm: SignatureAlgorithm = .rsa2
    ) -> Bool {
        defer { OpenSSLErrorQueue.clear() }
        guard !signature.isEmpty, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, algorithm.digest, nil, key.pointer) == 1 else { return false }
        let data = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
        return EVP_DigestVerify(context, signature, signature.count, data, message.count) == 1
    }

    /// Verifies a signature over the UTF-8 bytes of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: String, algorithm: SignatureAlgorithm = .rsa2) -> Bool {
        Array(message.utf8).withUnsafeBytes { isValidSignature(signature, for: $0, algorithm: algorithm) }
    }
}
