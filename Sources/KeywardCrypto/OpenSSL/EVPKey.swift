import CKeywardOpenSSL

/// Sole owner of one OpenSSL `EVP_PKEY`, freed in `deinit`.
///
/// `@unchecked Sendable` is sound: Keyward never mutates an `EVP_PKEY` after it is built,
/// and OpenSSL 3 documents concurrent read-only use of one key (signing and verifying each
/// through their own `EVP_MD_CTX`) as thread-safe.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    var isRSA: Bool { EVP_PKEY_get_base_id(pointer) == EVP_PKEY_RSA }

    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// How many primes an RSA private key has: 2, or more for a multi-prime key (RFC 8017).
    var primeCount: Int {
        var count = 2
        while count < 10 {
            var factor: OpaquePointer?
            guard EVP_PKEY_get_bn_param(pointer, "rsa-factor\(count + 1)", &factor) == 1 else { break }
            BN_clear_free(factor)
            count += 1
        }
        ERR_clear_error()
        return count
    }

    /// The algorithm's name as a person writes it ("EC", "Ed25519", "RSA-PSS").
    var algorithmName: String {
        switch EVP_PKEY_get_base_id(pointer) {
        case EVP_PKEY_RSA: return "RSA"
        case EVP_PKEY_RSA_PSS: return "RSA-PSS"
        case EVP_PKEY_EC: return "EC"
        case EVP_PKEY_ED25519: return "Ed25519"
        case EVP_PKEY_ED448: return "Ed448"
        case EVP_PKEY_X25519: return "X25519"
        case EVP_PKEY_X448: return "X448"
        case EVP_PKEY_DSA: return "DSA"
        case EVP_PKEY_DH: return "DH"
        default:
            if let name = EVP_PKEY_get0_type_name(pointer) { return String(cString: name) }
            return "unknown"
        }
    }

    /// Whether both keys have the same public components.
    func hasSamePublicKey(as other: EVPKey) -> Bool {
        let result = EVP_PKEY_eq(pointer, other.pointer)
        OpenSSLErrorQueue.clear()
        return result == 1
    }

    /// OpenSSL's full consistency check of a private key (for RSA: n = p·q, d·e ≡ 1, …).
    func passesPrivateKeyCheck() -> Bool {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else { return false }
        defer { EVP_PKEY_CTX_free(context) }
        let result = EVP_PKEY_check(context)
        OpenSSLErrorQueue.clear()
        return result == 1
    }

    /// OpenSSL's sanity check of public components (for RSA: odd e, n of a sane size).
    func passesPublicKeyCheck() -> Bool {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else { return false }
        defer { EVP_PKEY_CTX_free(context) }
        let result = EVP_PKEY_public_check(context)
        OpenSSLErrorQueue.clear()
        return result == 1
    }
}
