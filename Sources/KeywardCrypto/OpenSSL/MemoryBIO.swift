import CKeywardOpenSSL

/// An OpenSSL memory BIO, for the PEM readers and writers of certificates and requests
/// (public data only: keys never pass through one).
final class MemoryBIO {
    let pointer: OpaquePointer

    /// A BIO reading `bytes`.
    init(reading bytes: [UInt8]) throws {
        guard let bio = bytes.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }) else {
            throw CryptoError.openSSL("BIO_new_mem_buf")
        }
        // BIO_new_mem_buf does not copy: keep the bytes alive as long as the BIO.
        self.pointer = bio
        self.retained = bytes
    }

    /// An empty BIO to write into.
    init() throws {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError.openSSL("BIO_new") }
        self.pointer = bio
        self.retained = []
    }

    private let retained: [UInt8]

    deinit { BIO_free(pointer) }

    /// Everything written so far.
    func contents() -> [UInt8] {
        let count = Int(BIO_ctrl_pending(pointer))
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { BIO_read(pointer, $0.baseAddress, Int32(count)) }
        return Array(bytes.prefix(max(0, Int(read))))
    }
}
