import Foundation
public import NIOCore

/// A request body in memory of its own, so that the bytes of a private key or an API key sent
/// to Keyward do not outlive the request: the connection zeroes it as soon as the answer is
/// written (`wipe`), and it is zeroed again when freed.
///
/// One owner at a time: the connection fills it, then the request is answered from it, then
/// the connection wipes it. The bytes are read in place (`withUnsafeBytes`); JSON decoding
/// reads them without a copy.
public final class RequestBody: @unchecked Sendable {
    private var storage: UnsafeMutableRawBufferPointer
    public private(set) var count: Int

    public init() {
        storage = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        count = 0
    }

    public convenience init(_ bytes: [UInt8]) {
        self.init()
        bytes.withUnsafeBytes(append)
    }

    deinit {
        wipe()
        storage.deallocate()
    }

    public var isEmpty: Bool { count == 0 }

    /// Appends `buffer`'s readable bytes (a body may arrive in several parts).
    public func append(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes(append)
    }

    /// Appends `bytes` (a body may arrive in several parts).
    package func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        reserve(count + bytes.count)
        (storage.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    /// Makes room for `capacity` bytes in all (a body of known length is stored without regrowing).
    package func reserve(_ capacity: Int) {
        if capacity > storage.count {
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, storage.count * 2), alignment: 16)
            let held = count
            if held > 0 { grown.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: held) }
            wipe()
            storage.deallocate()
            storage = grown
            count = held
        }
    }

    /// The bytes, read in place.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.baseAddress, count: count))
    }

    /// A copy of the bytes, for what is not secret (tests, the fuzz targets).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Zeroes every byte it ever held (explicit_bzero: not optimised away). The body reads as
    /// empty from now on.
    public func wipe() {
        if let base = storage.baseAddress { explicit_bzero(base, storage.count) }
        count = 0
    }

    /// Whether no byte it ever held is left (tests).
    public var isWiped: Bool { count == 0 && storage.allSatisfy { $0 == 0 } }
}
