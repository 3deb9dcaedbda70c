import CKeywardOpenSSL

extension RSAPrivateKey {
    /// Signs `message` with RSA2 (SHA256withRSA, PKCS#1 v1.5). Deterministic: the same key
    /// and message always give the same signature.
    public func signature(for message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm = .rsa2) throws -> [UInt8] {
        guard algorithm.canSign else {
            throw CryptoError(
                code: .signatureAlgorithmVerifyOnly,
                message: "\(algorithm.rawValue) (SHA1withRSA) is verify-only in Keyward",
                hint: "sign with RSA2 (SHA256withRSA), which Alipay requires for new integrations"
            )
        }
        return try signingContexts.sign(message)
    }

    /// Signs the UTF-8 bytes of `message`.
    public func signature(for message: String, algorithm: SignatureAlgorithm = .rsa2) throws -> [UInt8] {
        try Array(message.utf8).withUnsafeBytes { try signature(for: $0, algorithm: algorithm) }
    }
}

extension SignatureAlgorithm {
    var digest: OpaquePointer? {
        switch self {
        case .rsa2: EVP_sha256()
        case .rsa: EVP_sha1()
        }
    }
}
