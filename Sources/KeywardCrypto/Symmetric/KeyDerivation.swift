import CKeywardOpenSSL

/// Key derivation through OpenSSL's EVP_KDF: scrypt for passphrases, HKDF-SHA256 for
/// deriving sub-keys from a key that is already strong.
public enum KeyDerivation {
    /// scrypt cost parameters. Stored in the vault header so a vault opens with the
    /// parameters it was sealed with.
    public struct ScryptParameters: Sendable, Hashable, Codable {
        /// CPU/memory cost, a power of two.
        public var n: UInt64
        public var r: UInt32
        public var p: UInt32

        public init(n: UInt64, r: UInt32, p: UInt32) {
            self.n = n
            self.r = r
            self.p = p
        }

        /// 2^17, 8, 1: about 128 MiB and a few hundred milliseconds, for interactive unlock.
        public static let interactive = ScryptParameters(n: 1 << 17, r: 8, p: 1)

        /// Whether these are parameters Keyward will run: n a power of two between 2^10 and
        /// 2^22, r·p modest. Guards against a vault header that asks for absurd work.
        public var isAcceptable: Bool {
            n >= 1 << 10 && n <= 1 << 22 && n & (n - 1) == 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16
        }

        var memoryBytes: UInt64 { 128 * UInt64(r) * n * UInt64(p) + 128 * UInt64(r) * 2 + (1 << 20) }
    }

    /// scrypt(passphrase, salt) → `outputByteCount` secret bytes.
    public static func scrypt(
        passphrase: SecretBytes,
        salt: [UInt8],
        parameters: ScryptParameters,
        outputByteCount: Int
    ) throws -> SecretBytes {
        guard parameters.isAcceptable else {
            throw CryptoError(
                code: .kdfBadParameters,
                message: "scrypt parameters n=\(parameters.n) r=\(parameters.r) p=\(parameters.p) are outside what Keyward runs",
                hint: "use n a power of two from 2^10 to 2^22, r from 1 to 32, p from 1 to 16"
            )
        }
        var n = parameters.n
        var r = parameters.r
        var p = parameters.p
        var maxMemory = parameters.memoryBytes * 2
        var salt = salt
        return try passphrase.withUnsafeBytes { password in
            let passwordPointer = UnsafeMutableRawPointer(mutating: password.baseAddress)
            return try salt.withUnsafeMutableBytes { saltBytes in
                try derive(
                    algorithm: "SCRYPT",
                    parameters: [
                        OSSL_PARAM_construct_octet_string(CKeywardOpenSSL_kdfParamPassword(), passwordPointer, password.count),
                        OSSL_PARAM_construct_octet_string(CKeywardOpenSSL_kdfParamSalt(), saltBytes.baseAddress, saltBytes.count),
                        OSSL_PARAM_construct_uint64(CKeywardOpenSSL_kdfParamScryptN(), &n),
                        OSSL_PARAM_construct_uint32(CKeywardOpenSSL_kdfParamScryptR(), &r),
                        OSSL_PARAM_construct_uint32(CKeywardOpenSSL_kdfParamScryptP(), &p),
                        OSSL_PARAM_construct_uint64(CKeywardOpenSSL_kdfParamScryptMaxMem(), &maxMemory),
                        OSSL_PARAM_construct_end(),
                    ],
                    outputByteCount: outputByteCount
                )
            }
        }
    }

    /// HKDF-SHA256 (RFC 5869): extract with `salt`, expand with `info`.
    public static func hkdfSHA256(key: SecretBytes, salt: [UInt8], info: [UInt8], outputByteCount: Int) throws -> SecretBytes {
        var salt = salt
        var info = info
        var digest = Array("SHA256".utf8CString)
        return try key.withUnsafeBytes { keyBytes in
            let keyPointer = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
            return try salt.withUnsafeMutableBytes { saltBytes in
                try info.withUnsafeMutableBytes { infoBytes in
                    try digest.withUnsafeMutableBufferPointer { digestName in
                        try derive(
                            algorithm: "HKDF",
                            parameters: [
                                OSSL_PARAM_construct_utf8_string(CKeywardOpenSSL_kdfParamDigest(), digestName.baseAddress, 0),
                                OSSL_PARAM_construct_octet_string(CKeywardOpenSSL_kdfParamKey(), keyPointer, keyBytes.count),
                                OSSL_PARAM_construct_octet_string(CKeywardOpenSSL_kdfParamSalt(), saltBytes.baseAddress, saltBytes.count),
                                OSSL_PARAM_construct_octet_string(CKeywardOpenSSL_kdfParamInfo(), infoBytes.baseAddress, infoBytes.count),
                                OSSL_PARAM_construct_end(),
                            ],
                            outputByteCount: outputByteCount
                        )
                    }
                }
            }
        }
    }

    private static func derive(algorithm: String, parameters: [OSSL_PARAM], outputByteCount: Int) throws -> SecretBytes {
        guard let kdf = EVP_KDF_fetch(nil, algorithm, nil) else { throw CryptoError.openSSL("EVP_KDF_fetch(\(algorithm))") }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { throw CryptoError.openSSL("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(context) }
        var parameters = parameters
        var failed = false
        let output = SecretBytes(count: outputByteCount) { buffer in
            let result = parameters.withUnsafeMutableBufferPointer { list in
                EVP_KDF_derive(context, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count, list.baseAddress)
            }
            failed = result != 1
        }
        if failed { throw CryptoError.openSSL("EVP_KDF_derive(\(algorithm))") }
        return output
    }
}
