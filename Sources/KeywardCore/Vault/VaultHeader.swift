import KeywardCrypto

/// The vault file's plaintext header (docs/vault-format.md). All of it is authenticated:
/// bytes 0..<84 as associated data of the wrapped data key, bytes 0..<160 as associated
/// data of the body.
struct VaultHeader: Equatable {
    static let magic: [UInt8] = Array("KWVAULT".utf8) + [0]
    /// 2: accounts may be Alipay+ (Client-ID) and carry a staged identity change; format 1
    /// vaults are read and written back as 2 (docs/vault-format.md).
    /// 3: key sets and pending rotations may be in certificate mode (their certificates are
    /// stored beside the platform key); format 2 vaults are read and written back as 3.
    static let formatVersion: UInt16 = 3
    /// Bytes before the body ciphertext.
    static let size = 160
    /// End of the part that the data-key wrapping authenticates.
    static let keyWrapAuthenticatedSize = 84
    static let tagSize = 16

    enum KeySource: UInt8 {
        /// A master key from a systemd credential or a key file.
        case masterKey = 1
        /// A passphrase through scrypt.
        case passphrase = 2
    }

    var keySource: KeySource
    var installID: InstallID
    var generation: UInt64
    var scrypt: KeyDerivation.ScryptParameters?
    var salt: [UInt8]
    var keyCheck: [UInt8]
    var wrappedDataKey: AESGCM.SealedBox
    var bodyNonce: [UInt8]
    var bodyLength: UInt32

    /// The 160 header bytes.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.size)
        bytes += Self.magic
        bytes += Self.formatVersion.bigEndianBytes
        bytes.append(keySource.rawValue)
        bytes.append(0)  // flags, reserved
        bytes += installID.bytes
        bytes += generation.bigEndianBytes
        bytes += (scrypt?.n ?? 0).bigEndianBytes
        bytes += (scrypt?.r ?? 0).bigEndianBytes
        bytes += (scrypt?.p ?? 0).bigEndianBytes
        bytes += salt
        bytes += keyCheck
        bytes += wrappedDataKey.nonce
        bytes += wrappedDataKey.ciphertext
        bytes += wrappedDataKey.tag
        bytes += bodyNonce
        bytes += bodyLength.bigEndianBytes
        precondition(bytes.count == Self.size, "vault header layout")
        return bytes
    }

    /// Parses and checks the header of a whole vault file.
    init(parsing file: [UInt8]) throws {
        guard file.count >= Self.magic.count, Array(file[0..<8]) == Self.magic else {
            throw VaultError(
                code: .notAVault,
                message: "the file does not start with the Keyward vault signature",
                hint: "check the path; restore the vault from a backup if this is the vault file"
            )
        }
        guard file.count >= Self.size + Self.tagSize else { throw Self.truncated(file.count) }
        var reader = ByteReader(file)
        reader.skip(8)
        let version = reader.uint16()
        guard version <= Self.formatVersion else {
            throw VaultError(
                code: .newerFormat,
                message: "the vault was written in format \(version) by a newer Keyward; this keywardd reads format \(Self.formatVersion)",
                hint: "upgrade keywardd; the vault was not changed"
            )
        }
        guard version >= 1 else { throw Self.corrupt("an invalid format version 0") }
        guard let keySource = KeySource(rawValue: reader.uint8()) else { throw Self.corrupt("an unknown key source") }
        guard reader.uint8() == 0 else { throw Self.corrupt("reserved flags set") }
        self.keySource = keySource
        self.installID = InstallID(bytes: reader.bytes(16))!
        self.generation = reader.uint64()
        let n = reader.uint64()
        let r = reader.uint32()
        let p = reader.uint32()
        switch keySource {
        case .masterKey:
            guard n == 0, r == 0, p == 0 else { throw Self.corrupt("scrypt parameters on a master-key vault") }
            self.scrypt = nil
        case .passphrase:
            let parameters = KeyDerivation.ScryptParameters(n: n, r: r, p: p)
            guard parameters.isAcceptable else { throw Self.corrupt("scrypt parameters outside the accepted range") }
            self.scrypt = parameters
        }
        self.salt = reader.bytes(16)
        self.keyCheck = reader.bytes(16)
        self.wrappedDataKey = AESGCM.SealedBox(nonce: reader.bytes(12), ciphertext: reader.bytes(32), tag: reader.bytes(16))
        self.bodyNonce = reader.bytes(12)
        self.bodyLength = reader.uint32()
        let expected = Self.size + Int(bodyLength) + Self.tagSize
        if file.count < expected { throw Self.truncated(file.count) }
        if file.count > expected { throw Self.corrupt("\(file.count - expected) bytes after the end of the body") }
    }

    init(
        keySource: KeySource,
        installID: InstallID,
        generation: UInt64,
        scrypt: KeyDerivation.ScryptParameters?,
        salt: [UInt8],
        keyCheck: [UInt8],
        wrappedDataKey: AESGCM.SealedBox,
        bodyNonce: [UInt8],
        bodyLength: UInt32
    ) {
        self.keySource = keySource
        self.installID = installID
        self.generation = generation
        self.scrypt = scrypt
        self.salt = salt
        self.keyCheck = keyCheck
        self.wrappedDataKey = wrappedDataKey
        self.bodyNonce = bodyNonce
        self.bodyLength = bodyLength
    }

    static func truncated(_ size: Int) -> VaultError {
        VaultError(
            code: .truncated,
            message: "the vault file is truncated (\(size) bytes)",
            hint: "restore the vault from a backup; the file was not changed"
        )
    }

    static func corrupt(_ what: String) -> VaultError {
        VaultError(
            code: .corrupt,
            message: "the vault file is damaged: its header has \(what)",
            hint: "restore the vault from a backup; the file was not changed"
        )
    }
}

/// Reads big-endian fields in sequence; the caller has checked the length.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skip(_ count: Int) { offset += count }

    mutating func bytes(_ count: Int) -> [UInt8] {
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func uint8() -> UInt8 { bytes(1)[0] }
    mutating func uint16() -> UInt16 { UInt16(integer(2)) }
    mutating func uint32() -> UInt32 { UInt32(integer(4)) }
    mutating func uint64() -> UInt64 { integer(8) }

    private mutating func integer(_ width: Int) -> UInt64 {
        bytes(width).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

extension FixedWidthInteger {
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.bigEndian) { Array($0) }
    }
}
