import KeywardCommandLine
import KeywardCore
import KeywardCrypto

/// Reading keys from files (or `-` for standard input) and writing them with safe modes.
enum KeyFiles {
    static func privateKey(at path: String) throws -> RSAPrivateKey {
        try RSAPrivateKey(parsing: SecureFile.read(path))
    }

    static func publicKey(at path: String) throws -> RSAPublicKey {
        try RSAPublicKey(parsing: SecureFile.read(path))
    }

    /// Either kind of key: a private key if the file holds one, else a public key.
    static func anyKey(at path: String) throws -> ParsedKey {
        let bytes = try SecureFile.read(path)
        do {
            return .privateKey(try RSAPrivateKey(parsing: bytes))
        } catch let error as CryptoError where error.kind == .keyExpectedPrivate {
            return .publicKey(try RSAPublicKey(parsing: bytes))
        }
    }

    /// Writes a private key file, mode 0600, never over an existing file.
    static func writePrivate(_ bytes: SecretBytes, to path: String) throws {
        if path == "-" { return bytes.withUnsafeBytes { Output.writeRaw($0) } }
        try bytes.withUnsafeBytes { try SecureFile.createExclusive(path, contents: $0, mode: 0o600) }
    }

    /// Writes a public key file, mode 0644, never over an existing file.
    static func writePublic(_ bytes: [UInt8], to path: String) throws {
        if path == "-" { return bytes.withUnsafeBytes { Output.writeRaw($0) } }
        try bytes.withUnsafeBytes { try SecureFile.createExclusive(path, contents: $0, mode: 0o644) }
    }
}

enum ParsedKey {
    case privateKey(RSAPrivateKey)
    case publicKey(RSAPublicKey)

    var publicKey: RSAPublicKey {
        switch self {
        case .privateKey(let key): key.publicKey
        case .publicKey(let key): key
        }
    }
}

extension KeyFiles {
    /// A key file's text, checked to be a key Keyward reads before it is sent anywhere.
    static func text(at path: String) throws -> String {
        let bytes = try SecureFile.read(path)
        return bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }
}
