import Foundation
public import KeywardCrypto

/// A backup file: the sealed vault as it was on disk, the audit log up to that generation, the
/// vault's data key wrapped to the offline recovery key (RSA-OAEP-SHA256), and a manifest, all
/// authenticated with an HMAC-SHA256 under a key derived from the data key. Whoever can unwrap
/// the data key (the master key through the vault, or the recovery key) can check every byte;
/// nobody else learns anything but the manifest.
///
/// Layout (integers big-endian):
/// `"KWBACKUP" | u16 format | u32 n | manifest JSON (n) | u32 n | vault (n) | u32 n | audit log (n) |
///  u32 n | wrapped data key (n) | HMAC-SHA256 (32) over everything before it`
public struct BackupArchive: Sendable {
    public static let magic = Array("KWBACKUP".utf8)
    public static let format: UInt16 = 1
    static let macInfo = Array("keyward backup mac v1".utf8)

    public let manifest: BackupManifest
    public let vault: [UInt8]
    public let audit: [UInt8]
    public let wrappedDataKey: [UInt8]
    let authenticated: [UInt8]
    let tag: [UInt8]

    /// Builds and authenticates an archive.
    public static func make(manifest: BackupManifest, vault: [UInt8], audit: [UInt8], dataKey: SecretBytes, recoveryKey: RSAPublicKey)
        throws -> [UInt8]
    {
        var bytes = magic + format.bigEndianBytes
        for part in [Array(try encoder.encode(manifest)), vault, audit, try recoveryKey.wrap(dataKey)] {
            bytes += UInt32(part.count).bigEndianBytes + part
        }
        return bytes + HMACSHA256.authenticate(bytes, key: try macKey(dataKey))
    }

    /// Reads the framing; nothing is authenticated yet (`authenticate` does that).
    public init(parsing bytes: [UInt8]) throws {
        guard bytes.count >= Self.magic.count + 2, Array(bytes.prefix(Self.magic.count)) == Self.magic else {
            throw Self.damaged("does not start as a Keyward backup")
        }
        let version = UInt16(bytes[8]) << 8 | UInt16(bytes[9])
        guard version <= Self.format else {
            throw BackupError(
                code: .newerFormat,
                message: "the backup is in format \(version), written by a newer Keyward; this one reads format \(Self.format)",
                hint: "restore with the Keyward release that made it, or newer")
        }
        var offset = 10
        func part() throws -> [UInt8] {
            guard offset + 4 <= bytes.count else { throw Self.damaged("ends early (truncated?)") }
            let length = (0..<4).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
            offset += 4
            guard length <= bytes.count - offset else { throw Self.damaged("ends early (truncated?)") }
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }
        let manifestBytes = try part()
        vault = try part()
        audit = try part()
        wrappedDataKey = try part()
        guard bytes.count - offset == 32 else {
            throw Self.damaged(bytes.count - offset < 32 ? "ends early (truncated?)" : "has bytes after its end")
        }
        authenticated = Array(bytes[..<offset])
        tag = Array(bytes[offset...])
        do {
            manifest = try Self.decoder.decode(BackupManifest.self, from: Data(manifestBytes))
        } catch {
            throw Self.damaged("has a manifest that does not read")
        }
        guard manifest.format <= Int(Self.format) else {
            throw BackupError(
                code: .newerFormat, message: "the backup's manifest is of format \(manifest.format), from a newer Keyward",
                hint: "restore with the Keyward release that made it, or newer")
        }
    }

    /// Checks the tag with the data key (unwrapped with the recovery key, or read from the
    /// vault with the master key).
    public func authenticate(dataKey: SecretBytes) throws {
        let expected = HMACSHA256.authenticate(authenticated, key: try Self.macKey(dataKey))
        guard expected.count == tag.count, zip(expected, tag).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw BackupError(
                code: .tampered, message: "the backup fails its authentication: some byte was changed after it was made",
                hint: "use another copy of the backup; this one cannot be trusted")
        }
    }

    static func macKey(_ dataKey: SecretBytes) throws -> SecretBytes {
        try KeyDerivation.hkdfSHA256(key: dataKey, salt: [], info: macInfo, outputByteCount: 32)
    }

    static func damaged(_ what: String) -> BackupError {
        BackupError(code: .damaged, message: "the file \(what)", hint: "give the .kwbackup file keywardctl backup create wrote, whole")
    }

    // The API's one JSON configuration (sorted keys, ISO 8601 times).
    static let encoder = APIJSON.encoder()
    static let decoder = APIJSON.decoder()
}
