import CKeywardOpenSSL

/// HMAC-SHA256 of non-secret data under a secret key (the audit log's MACs).
public enum HMACSHA256 {
    /// The 32-byte MAC of `message` under `key`.
    public static func authenticate(_ message: [UInt8], key: SecretBytes) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { bytes in
                HMAC(
                    EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    bytes.count, &mac, &length)
            }
        }
        // HMAC with the built-in SHA-256 fails only when memory is exhausted.
        precondition(result != nil && length == 32, "HMAC-SHA256 failed: \(OpenSSLErrorQueue.drain())")
        return mac
    }
}
