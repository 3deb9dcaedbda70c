import Foundation
package import KeywardCrypto

/// Turns `VaultContents` into the plaintext vault body and back.
///
/// Body layout: `u32 json length | json | u32 secret count | (u32 length | bytes)…`, all
/// big-endian. Secrets are PKCS#8 DER private keys and API keys.
package enum VaultBodyCodec {
    package static func encode(_ contents: VaultContents) throws -> SecretBytes {
        var secrets: [SecretBytes] = []
        func store(_ secret: SecretBytes) -> Int {
            secrets.append(secret)
            return secrets.count - 1
        }
        func keySet(_ keySet: KeySet) throws -> KeySetDocument {
            KeySetDocument(
                version: keySet.version,
                origin: StoredOrigin(keySet.origin),
                merchantPrivateKeySecret: store(try keySet.merchantPrivateKey.exported(as: PrivateKeyFormat(.pkcs8, .der))),
                merchantKeyFingerprint: keySet.merchantPublicKey.fingerprint,
                platformPublicKey: keySet.platformPublicKey.bareBase64,
                platformKeyFingerprint: keySet.platformPublicKey.fingerprint,
                certificates: keySet.certificates.map(certificates),
                createdAt: keySet.createdAt,
                committedAt: keySet.committedAt
            )
        }
        func certificates(_ certificates: PlatformCertificates) -> CertificatesDocument {
            func file(_ certificates: [X509Certificate]) -> [String] { certificates.map { Data($0.der).base64EncodedString() } }
            return CertificatesDocument(
                app: file(certificates.app.certificates), alipay: certificates.alipay.map { file($0.certificates) },
                root: file(certificates.root))
        }
        func account(_ account: MerchantAccount) -> AccountDocument {
            AccountDocument(
                pid: account.pid, appID: account.appID, clientID: account.clientID, gatewayDomain: account.gatewayDomain,
                platformKeyVersion: account.platformKeyVersion, accountEmail: account.accountEmail,
                apiKeySecret: account.apiKey.map { store($0.secret) })
        }
        func mode(_ state: ModeState) throws -> ModeDocument {
            ModeDocument(
                account: state.account.map(account),
                stagedAccount: state.stagedAccount.map(account),
                active: state.isActive,
                current: try state.current.map(keySet),
                previous: try state.previous.map {
                    PreviousDocument(keySet: try keySet($0.keySet), graceEndsAt: $0.graceEndsAt, account: $0.account.map(account))
                },
                pending: try state.pending.map { pending in
                    PendingDocument(
                        state: pending.platformPublicKey == nil ? .awaitingPlatformKey : .ready,
                        origin: StoredOrigin(pending.origin),
                        merchantPrivateKeySecret: store(try pending.merchantPrivateKey.exported(as: PrivateKeyFormat(.pkcs8, .der))),
                        merchantKeyFingerprint: pending.merchantPrivateKey.publicKey.fingerprint,
                        platformPublicKey: pending.platformPublicKey?.bareBase64,
                        certificates: pending.platform?.certificates.map(certificates),
                        startedAt: pending.startedAt,
                        expiresAt: pending.expiresAt
                    )
                },
                history: state.history,
                lastVersion: state.lastVersion,
                revision: state.revision,
                exportApproval: state.exportApproval
            )
        }
        let document = VaultDocument(
            test: try mode(contents.test), live: try mode(contents.live), lastAuditEntry: contents.lastAuditEntry?.text)
        let json = Array(try encoder.encode(document))

        let total = 4 + json.count + 4 + secrets.reduce(0) { $0 + 4 + $1.count }
        return SecretBytes(count: total) { output in
            var offset = 0
            func put(_ bytes: UnsafeRawBufferPointer) {
                output.baseAddress!.advanced(by: offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                offset += bytes.count
            }
            func putLength(_ value: Int) { UInt32(value).bigEndianBytes.withUnsafeBytes(put) }
            putLength(json.count)
            json.withUnsafeBytes(put)
            putLength(secrets.count)
            for secret in secrets {
                putLength(secret.count)
                if secret.count > 0 { secret.withUnsafeBytes(put) }
            }
        }
    }

    package static func decode(_ body: SecretBytes) throws -> VaultContents {
        let (json, secrets) = try split(body)
        let document: VaultDocument
        do {
            document = try decoder.decode(VaultDocument.self, from: Data(json))
        } catch let error as CredentialError {
            throw corrupt("a credential that fails validation (\(error.code))")
        } catch {
            throw corrupt("contents that do not parse")
        }
        func secret(_ index: Int) throws -> SecretBytes {
            guard secrets.indices.contains(index) else { throw corrupt("a reference to a missing secret") }
            return secrets[index]
        }
        func privateKey(_ index: Int, fingerprint: KeyFingerprint) throws -> RSAPrivateKey {
            let key = try RSAPrivateKey(parsingTrustedDER: try secret(index))
            guard key.publicKey.fingerprint == fingerprint else { throw corrupt("a private key that does not match its fingerprint") }
            return key
        }
        func publicKey(_ text: String, fingerprint: KeyFingerprint) throws -> RSAPublicKey {
            let key = try RSAPublicKey(parsing: text)
            guard key.fingerprint == fingerprint else { throw corrupt("a public key that does not match its fingerprint") }
            return key
        }
        func platform(_ text: String, _ certificates: CertificatesDocument?, fingerprint: KeyFingerprint?) throws -> PlatformCredential {
            guard let certificates else {
                let key = try RSAPublicKey(parsing: text)
                guard fingerprint == nil || key.fingerprint == fingerprint else {
                    throw corrupt("a public key that does not match its fingerprint")
                }
                return .publicKey(key)
            }
            func file(_ texts: [String]) throws -> [X509Certificate] {
                try texts.map { text in
                    guard let der = Data(base64Encoded: text) else { throw corrupt("a certificate that is not base64") }
                    return try X509Certificate(parsing: Array(der))
                }
            }
            let platform = PlatformCredential.certificates(
                try PlatformCertificates(
                    app: try file(certificates.app), alipay: try certificates.alipay.map(file), root: try file(certificates.root)))
            guard platform.publicKey.bareBase64 == text, fingerprint == nil || platform.publicKey.fingerprint == fingerprint else {
                throw corrupt("certificates that do not match their platform key")
            }
            return platform
        }
        func keySet(_ document: KeySetDocument, mode: Mode) throws -> KeySet {
            KeySet(
                mode: mode,
                version: document.version,
                origin: document.origin.origin,
                merchantPrivateKey: try privateKey(document.merchantPrivateKeySecret, fingerprint: document.merchantKeyFingerprint),
                platform: try platform(document.platformPublicKey, document.certificates, fingerprint: document.platformKeyFingerprint),
                createdAt: document.createdAt,
                committedAt: document.committedAt
            )
        }
        func account(_ account: AccountDocument) throws -> MerchantAccount {
            try MerchantAccount(
                pid: account.pid, appID: account.appID, clientID: account.clientID, gatewayDomain: account.gatewayDomain,
                platformKeyVersion: account.platformKeyVersion, accountEmail: account.accountEmail,
                apiKey: try account.apiKeySecret.map { try APIKey(try secret($0)) })
        }
        func mode(_ document: ModeDocument, _ mode: Mode) throws -> ModeState {
            let pending: PendingRotation? = try document.pending.map { pending in
                let merchantKey = try privateKey(pending.merchantPrivateKeySecret, fingerprint: pending.merchantKeyFingerprint)
                switch (pending.state, pending.platformPublicKey) {
                case (.awaitingPlatformKey, nil):
                    return .awaitingPlatformKey(
                        AwaitingPlatformKey(
                            origin: pending.origin.origin, merchantPrivateKey: merchantKey, startedAt: pending.startedAt,
                            expiresAt: pending.expiresAt)
                    )
                case (.ready, let platformText?):
                    return .ready(
                        ReadyRotation(
                            origin: pending.origin.origin,
                            merchantPrivateKey: merchantKey,
                            platform: try platform(platformText, pending.certificates, fingerprint: nil),
                            startedAt: pending.startedAt,
                            expiresAt: pending.expiresAt
                        )
                    )
                default:
                    throw corrupt("a pending rotation whose state does not fit its keys")
                }
            }
            return ModeState(
                account: try document.account.map(account),
                stagedAccount: try document.stagedAccount.map(account),
                isActive: document.active,
                current: try document.current.map { try keySet($0, mode: mode) },
                previous: try document.previous.map {
                    PreviousKeySet(
                        keySet: try keySet($0.keySet, mode: mode), graceEndsAt: $0.graceEndsAt, account: try $0.account.map(account))
                },
                pending: pending,
                history: document.history,
                lastVersion: document.lastVersion,
                revision: document.revision,
                exportApproval: document.exportApproval
            )
        }
        do {
            return VaultContents(
                test: try mode(document.test, .test),
                live: try mode(document.live, .live),
                lastAuditEntry: document.lastAuditEntry.map(AuditLine.init(text:))
            )
        } catch let error as VaultError {
            throw error
        } catch let error as any ReportableError {
            // A stored key or credential that no longer parses is damage to the vault, not
            // bad input from whoever started the daemon (found by the vault fuzz target).
            throw corrupt("a stored key or credential that does not parse (\(error.code))")
        }
    }

    /// Splits the body into its JSON and its secrets, checking every length.
    private static func split(_ body: SecretBytes) throws -> ([UInt8], [SecretBytes]) {
        try body.withUnsafeBytes { bytes -> ([UInt8], [SecretBytes]) in
            var offset = 0
            func length() throws -> Int {
                guard offset + 4 <= bytes.count else { throw corrupt("a body that ends early") }
                let value = (0..<4).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
                offset += 4
                guard offset + value <= bytes.count else { throw corrupt("a body that ends early") }
                return value
            }
            let jsonLength = try length()
            let json = Array(bytes[offset..<offset + jsonLength])
            offset += jsonLength
            let count = try length()
            guard count <= 10_000 else { throw corrupt("an implausible number of secrets") }
            var secrets: [SecretBytes] = []
            for _ in 0..<count {
                let size = try length()
                secrets.append(SecretBytes(copying: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])))
                offset += size
            }
            guard offset == bytes.count else { throw corrupt("bytes after its last secret") }
            return (json, secrets)
        }
    }

    static func corrupt(_ what: String) -> VaultError {
        VaultError(
            code: .corrupt,
            message: "the vault decrypted, but holds \(what)",
            hint: "this should not happen with an authentic vault; restore it from a backup and report the bug"
        )
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
