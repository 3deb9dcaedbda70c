import KeywardCrypto

/// The identity of one Keyward installation: 16 random bytes chosen when its master key is
/// made, written into the master key file and every vault header, so a vault restored onto
/// the wrong host is recognised as such instead of failing as "wrong key".
public struct InstallID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public init?(hex: String) {
        guard hex.utf8.count == 32, let bytes = Hex.decode(hex) else { return nil }
        self.bytes = bytes
    }

    /// A new random identity.
    public static func random() throws -> InstallID {
        InstallID(unchecked: try SecureRandom.bytes(count: 16))
    }

    private init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }
}
