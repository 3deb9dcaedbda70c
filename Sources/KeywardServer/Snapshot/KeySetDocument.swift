import Foundation
import KeywardCore
import KeywardCrypto

/// The JSON body of `GET /v1/keysets/{mode}`. Every key is served in named forms so an SDK
/// can be configured with a field as it is, without editing:
/// - `merchantPrivateKey.pkcs1Pem` for python-alipay-sdk, `pkcs1Bare` for the official
///   open-platform SDK (alipay-sdk-python), `pkcs8Bare` for the Java SDKs;
/// - public keys as `spkiPem` (every Python SDK) and `spkiBare` (the dashboards, Java).
/// The private key appears only where the mode's policy allows export.
enum KeySetDocument {
    struct Body: Encodable {
        let mode: String
        let revision: Int
        let version: Int
        let keyVersion: String
        let origin: String
        let signatureAlgorithm = "RSA2"
        let createdAt: Date
        let committedAt: Date
        let pid: String?
        let appID: String?
        let merchantPublicKey: PublicKeyForms
        let platformPublicKey: PublicKeyForms
        let merchantPrivateKey: PrivateKeyForms?
        let previous: Previous?
    }

    struct Previous: Encodable {
        let version: Int
        let graceEndsAt: Date
        let merchantPublicKey: PublicKeyForms
        let platformPublicKey: PublicKeyForms
    }

    struct PublicKeyForms: Encodable {
        let spkiPem: String
        let spkiBare: String
        let fingerprint: String
        let bits: Int

        init(_ key: RSAPublicKey) {
            spkiPem = key.pem
            spkiBare = key.bareBase64
            fingerprint = key.fingerprint.hex
            bits = key.bits
        }
    }

    struct PrivateKeyForms: Encodable {
        let pkcs1Pem: String
        let pkcs1Bare: String
        let pkcs8Pem: String
        let pkcs8Bare: String

        init(_ key: RSAPrivateKey) throws {
            func text(_ format: PrivateKeyFormat) throws -> String {
                try key.exported(as: format).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            }
            pkcs1Pem = try text(PrivateKeyFormat(.pkcs1, .pem))
            pkcs1Bare = try text(PrivateKeyFormat(.pkcs1, .bare))
            pkcs8Pem = try text(PrivateKeyFormat(.pkcs8, .pem))
            pkcs8Bare = try text(PrivateKeyFormat(.pkcs8, .bare))
        }
    }

    /// The document of `current`, or of an empty mode (served only to operators via status).
    static func render(
        mode: Mode, revision: Int, account: MerchantAccount?, current: KeySet?, previous: PreviousKeySet?, exportPrivateKey: Bool
    ) -> [UInt8] {
        guard let current else { return Array("{}".utf8) }
        let body = Body(
            mode: mode.rawValue,
            revision: revision,
            version: current.version,
            keyVersion: String(current.version),
            origin: current.origin.rawValue,
            createdAt: current.createdAt,
            committedAt: current.committedAt,
            pid: account?.pid.value,
            appID: account?.appID.value,
            merchantPublicKey: PublicKeyForms(current.merchantPublicKey),
            platformPublicKey: PublicKeyForms(current.platformPublicKey),
            merchantPrivateKey: exportPrivateKey ? try? PrivateKeyForms(current.merchantPrivateKey) : nil,
            previous: previous.map {
                Previous(
                    version: $0.keySet.version,
                    graceEndsAt: $0.graceEndsAt,
                    merchantPublicKey: PublicKeyForms($0.keySet.merchantPublicKey),
                    platformPublicKey: PublicKeyForms($0.keySet.platformPublicKey)
                )
            }
        )
        return (try? JSON.encode(body)) ?? Array("{}".utf8)
    }
}
