import CKeywardLinux
import CKeywardOpenSSL
import Synchronization

/// A fixed-size buffer of secret bytes: private key DER, data keys, plaintext vault bodies.
///
/// The bytes live in memory that Keyward allocates itself, are cleansed with
/// `OPENSSL_cleanse` when the last copy of the value is released, and never print:
/// `description`, `debugDescription` and `dump()` all show `<redacted>`. Copies of the value
/// share one buffer, which is never mutated after initialisation.
public struct SecretBytes: Sendable {
    private let storage: Storage

    /// The number of secret bytes.
    public var count: Int { storage.count }

    /// Whether the buffer holds no bytes.
    public var isEmpty: Bool { storage.count == 0 }

    /// Allocates `count` zeroed bytes and lets `initializer` fill them.
    ///
    /// This is the only way bytes get in, so a secret is never first built in an ordinary
    /// array that would outlive it uncleansed.
    public init(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let storage = Storage(count: count)
        try initializer(storage.buffer)
        self.storage = storage
    }

    /// Copies `bytes` into a new secret buffer. The caller stays responsible for the source.
    public init(copying bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count) { target in
            if let base = bytes.baseAddress, bytes.count > 0 {
                target.baseAddress!.copyMemory(from: base, byteCount: bytes.count)
            }
        }
    }

    /// Bytes from the CSPRNG.
    public static func random(count: Int) throws -> SecretBytes {
        try SecretBytes(count: count) { try SecureRandom.fill($0) }
    }

    /// Read access to the bytes; the pointer must not escape `body`.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(storage.buffer))
    }

    /// Whether every secret buffer so far got locked, dump-excluded pages. False where the
    /// kernel refuses (RLIMIT_MEMLOCK too low, no MADV_DONTDUMP): the daemon logs a warning.
    public static var memoryIsProtected: Bool { !protectionFailed.load(ordering: .relaxed) }

    fileprivate static let protectionFailed = Atomic<Bool>(false)

    /// Compares in time that depends only on the lengths, never on the contents.
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        if count == 0 { return true }
        return withUnsafeBytes { lhs in
            other.withUnsafeBytes { rhs in
                CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, lhs.count) == 0
            }
        }
    }

    /// A new secret holding bytes `range` of this one.
    public func extracting(_ range: Range<Int>) -> SecretBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the secret")
        return withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[range])) }
    }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "<redacted>" }
    public var debugDescription: String { "SecretBytes(<redacted>, \(count) bytes)" }
    public var customMirror: Mirror { Mirror(self, children: ["bytes": "<redacted>"]) }
}

extension SecretBytes {
    /// Owns the allocation. `@unchecked Sendable` is sound: the memory is written only by
    /// `SecretBytes.init` before the storage is shared, and is read-only from then on; the
    /// pointer itself is a `let`.
    private final class Storage: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer
        let count: Int

        init(count: Int) {
            precondition(count >= 0, "a negative size for a secret")
            self.count = count
            // Pages of its own, locked in RAM and left out of core dumps (where allowed), so a
            // secret is never swapped out or dumped; zeroed again when freed.
            var allocated = 0
            var protected: Int32 = 0
            // Failing here means the process is out of memory, as a failed Swift allocation
            // would; sizes are bounded by every input path (keys, 16 MiB files).
            guard let memory = CKeywardLinux_allocateSecretPages(count, &allocated, &protected) else {
                fatalError("out of memory allocating \(count) bytes for a secret")
            }
            if protected == 0 { SecretBytes.protectionFailed.store(true, ordering: .relaxed) }
            let raw = UnsafeMutableRawBufferPointer(start: memory, count: allocated)
            self.buffer = UnsafeMutableRawBufferPointer(rebasing: raw[0..<count])
            self.allocation = raw
        }

        private let allocation: UnsafeMutableRawBufferPointer

        deinit {
            OPENSSL_cleanse(allocation.baseAddress, allocation.count)
            CKeywardLinux_freeSecretPages(allocation.baseAddress, allocation.count)
        }
    }
}
