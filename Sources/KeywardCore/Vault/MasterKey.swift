public import KeywardCrypto

/// The master key: 32 random bytes that wrap the vault's data key, with the install it
/// belongs to.
///
/// Its file form (what goes into the systemd credential or the key file) is one line of
/// text: `keyward-master-key-v1 <install id, 32 hex digits> <key, base64>`.
public struct MasterKey: Sendable {
    public let installID: InstallID
    let material: SecretBytes

    static let prefix = "keyward-master-key-v1"

    /// A new master key for a new install (or, with `installID`, a replacement key for
    /// `rekey`).
    public static func generate(installID: InstallID? = nil) throws -> MasterKey {
        MasterKey(installID: try installID ?? InstallID.random(), material: try SecretBytes.random(count: 32))
    }

    init(installID: InstallID, material: SecretBytes) {
        self.installID = installID
        self.material = material
    }

    /// Reads the file form; `source` names where it came from in errors.
    public init(parsing text: SecretBytes, source: String) throws {
        let malformed = VaultError(
            code: .masterKeyMalformed,
            message: "\(source) is not a Keyward master key (expected one line: \(Self.prefix) <install id> <key>)",
            hint: "point Keyward at the file keywardctl init wrote, or at its systemd credential"
        )
        // Split on spaces by index, so the key's base64 never becomes an ordinary String.
        let (installID, keyRange): (InstallID, Range<Int>) = try text.withUnsafeBytes { bytes in
            var fields: [Range<Int>] = []
            var start: Int?
            for index in 0...bytes.count {
                let isSeparator = index == bytes.count || bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                if isSeparator, let fieldStart = start {
                    fields.append(fieldStart..<index)
                    start = nil
                } else if !isSeparator && start == nil {
                    start = index
                }
            }
            guard fields.count == 3,
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[fields[0]]), as: UTF8.self) == Self.prefix,
                let installID = InstallID(hex: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[fields[1]]), as: UTF8.self))
            else { throw malformed }
            return (installID, fields[2])
        }
        let material: SecretBytes
        do {
            material = try text.extracting(keyRange).withUnsafeBytes { try Base64Secret.decode($0) }
        } catch {
            throw malformed
        }
        guard material.count == 32 else { throw malformed }
        self.init(installID: installID, material: material)
    }

    /// The file form, as secret bytes.
    public func serialized() -> SecretBytes {
        let head = Array("\(Self.prefix) \(installID.hex) ".utf8)
        let key = material.withUnsafeBytes { Base64Secret.encode($0) }
        return SecretBytes(count: head.count + key.count + 1) { output in
            let base = output.baseAddress!
            head.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            key.withUnsafeBytes { base.advanced(by: head.count).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            output[head.count + key.count] = 0x0A
        }
    }
}

extension MasterKey: CustomStringConvertible {
    public var description: String { "MasterKey(<redacted>, install \(installID))" }
}
