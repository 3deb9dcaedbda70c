import CKeywardOpenSSL

/// SHA-256 of non-secret data (fingerprints, audit chain links).
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, EVP_sha256(), nil)
        // EVP_Digest with the built-in SHA-256 fails only when memory is exhausted.
        precondition(ok == 1 && length == 32, "SHA-256 failed: \(OpenSSLErrorQueue.drain())")
        return digest
    }

    /// The digest of an array of bytes.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }
}
