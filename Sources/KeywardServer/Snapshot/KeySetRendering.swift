import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto

/// Renders a mode's `KeySetDocument` (KeywardAPI) from its key sets, once per publication.
enum KeySetRendering {
    /// The document of `current`, or `{}` for an empty mode (served only to operators via status).
    static func render(
        mode: Mode, revision: Int, account: MerchantAccount?, current: KeySet?, previous: PreviousKeySet?, exportPrivateKey: Bool
    ) -> [UInt8] {
        guard let current else { return Array("{}".utf8) }
        let document = KeySetDocument(
            mode: mode,
            revision: revision,
            version: current.version,
            origin: current.origin,
            createdAt: current.createdAt,
            committedAt: current.committedAt,
            pid: account?.pid?.value,
            appID: account?.appID?.value,
            clientID: account?.clientID?.value,
            gatewayDomain: account?.gatewayDomain?.value,
            platformKeyVersion: account?.platformKeyVersion?.value,
            merchantPublicKey: PublicKeyForms(current.merchantPublicKey),
            platformPublicKey: PublicKeyForms(current.platformPublicKey),
            certificates: current.certificates.map(CertificateSetForms.init),
            merchantPrivateKey: exportPrivateKey ? try? PrivateKeyForms(current.merchantPrivateKey) : nil,
            previous: previous.map {
                KeySetDocument.PreviousKeys(
                    version: $0.keySet.version,
                    graceEndsAt: $0.graceEndsAt,
                    merchantPublicKey: PublicKeyForms($0.keySet.merchantPublicKey),
                    platformPublicKey: PublicKeyForms($0.keySet.platformPublicKey)
                )
            }
        )
        return (try? JSON.encode(document)) ?? Array("{}".utf8)
    }
}
