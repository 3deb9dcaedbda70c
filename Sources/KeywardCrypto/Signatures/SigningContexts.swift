import CKeywardOpenSSL
import Synchronization

/// Prepared RSA2 signing contexts of one private key, reused from signature to signature:
/// `EVP_PKEY_sign_init`, PKCS#1 v1.5 padding and SHA-256 are set once per context, not per
/// signature (in OpenSSL 3 each init fetches the algorithm from the provider, which costs
/// more than a signature's hashing).
///
/// Safe reuse: a context is used by one thread at a time (taken out, put back), and one whose
/// signature failed is freed rather than put back. At most `capacity` are kept (one per
/// signing thread is what a busy daemon needs); the key's contexts go with the key.
final class SigningContexts: @unchecked Sendable {
    private let key: EVPKey
    private let idle = Mutex<[Context]>([])
    private let capacity = 16

    /// SHA-256, fetched from the provider once.
    nonisolated(unsafe) static let sha256: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    init(key: EVPKey) {
        self.key = key
    }

    /// One `EVP_PKEY_CTX`, owned by the list or by the one signature using it.
    private struct Context: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    deinit {
        for context in idle.withLock({ $0 }) { EVP_PKEY_CTX_free(context.pointer) }
    }

    /// The RSA2 signature of `message`: SHA-256, then PKCS#1 v1.5 with a prepared context.
    func sign(_ message: UnsafeRawBufferPointer) throws -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var digestLength: UInt32 = 0
        guard EVP_Digest(message.baseAddress, message.count, &digest, &digestLength, Self.sha256, nil) == 1 else {
            throw CryptoError.openSSL("EVP_Digest")
        }
        let context = try idle.withLock { $0.popLast() }?.pointer ?? prepare()
        var signature = [UInt8](repeating: 0, count: Int(EVP_PKEY_get_size(key.pointer)))
        var length = signature.count
        guard EVP_PKEY_sign(context, &signature, &length, digest, Int(digestLength)) == 1 else {
            EVP_PKEY_CTX_free(context)
            throw CryptoError.openSSL("EVP_PKEY_sign")
        }
        let kept = idle.withLock { idle -> Bool in
            guard idle.count < capacity else { return false }
            idle.append(Context(pointer: context))
            return true
        }
        if !kept { EVP_PKEY_CTX_free(context) }
        return length == signature.count ? signature : Array(signature.prefix(length))
    }

    private func prepare() throws -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else {
            throw CryptoError.openSSL("EVP_PKEY_CTX_new_from_pkey")
        }
        guard EVP_PKEY_sign_init(context) == 1, EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1,
            EVP_PKEY_CTX_set_signature_md(context, Self.sha256) == 1
        else {
            EVP_PKEY_CTX_free(context)
            throw CryptoError.openSSL("EVP_PKEY_sign_init")
        }
        return context
    }
}
