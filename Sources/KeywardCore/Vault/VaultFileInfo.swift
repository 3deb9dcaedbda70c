/// What a sealed vault's header says without the master key: for moving a vault between
/// stores (`keywardctl store push`).
public struct VaultFileInfo: Sendable, Equatable {
    public let generation: UInt64
    public let installID: InstallID

    /// Reads the header; a file that is not a vault is refused as when opening it.
    public init(_ bytes: [UInt8]) throws {
        let header = try VaultHeader(parsing: bytes)
        generation = header.generation
        installID = header.installID
    }
}
