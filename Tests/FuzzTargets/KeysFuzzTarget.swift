import KeywardCrypto
import KeywardTestSupport

/// Key input as an operator or a client would paste or upload it. The first byte picks the
/// parser (private or public), the rest is the input.
///
/// Invariants: a refusal is a `ReportableError` (a code, a message, a hint), never anything
/// else; an accepted key exports and parses back to the same fingerprint.
enum KeysFuzzTarget {
    static func run(_ input: [UInt8]) -> [String] {
        guard let selector = input.first else { return [] }
        let text = Array(input.dropFirst())
        do {
            if selector & 1 == 0 {
                let key = try text.withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
                let again = try key.exported(as: PrivateKeyFormat(.pkcs8, .der)).withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
                if again.publicKey.fingerprint != key.publicKey.fingerprint {
                    return ["a private key changed when exported and parsed again"]
                }
            } else {
                let key = try text.withUnsafeBytes { try RSAPublicKey(parsing: $0) }
                let again = try RSAPublicKey(parsing: key.pem)
                if again.fingerprint != key.fingerprint { return ["a public key changed when exported and parsed again"] }
            }
        } catch let error as any ReportableError {
            if error.code.isEmpty || error.message.isEmpty || error.hint.isEmpty {
                return ["an error without code, message or hint: \(error.code)"]
            }
        } catch {
            return ["an error that is not reportable: \(type(of: error))"]
        }
        return []
    }

    static func seeds() throws -> [[UInt8]] {
        let key = try TestKeys.key(1)
        var seeds: [[UInt8]] = []
        for structure in PrivateKeyStructure.allCases {
            for encoding in KeyEncoding.allCases {
                seeds.append([0] + (try key.exported(as: PrivateKeyFormat(structure, encoding)).withUnsafeBytes { Array($0) }))
            }
        }
        seeds.append([1] + Array(key.publicKey.pem.utf8))
        seeds.append([1] + Array(key.publicKey.bareBase64.utf8))
        seeds.append([1] + (try key.publicKey.exported(as: PublicKeyFormat(.spki, .der))))
        return seeds
    }
}
