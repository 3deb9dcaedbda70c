import CKeywardOpenSSL

/// The CSPRNG: OpenSSL's private DRBG (`RAND_priv_bytes`), seeded from the kernel.
public enum SecureRandom {
    /// Fills `buffer` with random bytes, or throws if the generator is not seeded.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard buffer.count > 0 else { return }
        guard RAND_priv_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            throw CryptoError.openSSL("RAND_priv_bytes")
        }
    }

    /// Random bytes that are not secret (nonces, salts).
    public static func bytes(count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try fill($0) }
        return bytes
    }
}
