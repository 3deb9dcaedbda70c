import KeywardCrypto

/// An Alipay+ / Antom Client-ID, as the developer portal shows it: letters, digits, `_` and
/// `-`, up to 64 characters. Sandbox client IDs start with `SANDBOX_` and belong to test mode
/// only.
public struct ClientID: ValidatedText {
    public let value: String

    public static let sandboxPrefix = "SANDBOX_"

    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        let allowed = trimmed.utf8.allSatisfy {
            $0.isASCIIDigit || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: "-")
        }
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64, allowed else {
            throw CredentialError(
                code: .clientIdInvalid,
                message:
                    "the Client-ID must be 1 to 64 letters, digits, '_' or '-'; the one given has \(trimmed.utf8.count) characters\(allowed ? "" : " and others besides those")",
                hint: "copy the Client-ID from the Alipay+ / Antom developer portal (Developer > Overview)"
            )
        }
        self.value = trimmed
    }

    /// Whether this is a sandbox client ID (`SANDBOX_…`).
    public var isSandbox: Bool { value.hasPrefix(Self.sandboxPrefix) }
}

/// The Alipay+ gateway host a mode's requests go to, such as `open-sea-global.alipay.com`: a
/// host name only (no scheme, path or port).
public struct GatewayDomain: ValidatedText {
    public let value: String

    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace().lowercased()
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        let wellFormed =
            labels.count >= 2 && trimmed.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.utf8.allSatisfy {
                        $0.isASCIIDigit || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "-")
                    }
            }
        guard wellFormed else {
            throw CredentialError(
                code: .gatewayDomainInvalid,
                message: "the gateway domain must be a host name such as open-sea-global.alipay.com (no https://, path or port)",
                hint: "copy the domain of the gateway URL your integration calls"
            )
        }
        self.value = trimmed
    }
}

/// The version of the merchant key registered for a Client-ID on the Alipay+ side, sent as the
/// `keyVersion` of the `Signature` header: digits, up to 16.
public struct PlatformKeyVersion: ValidatedText {
    public let value: String

    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty, trimmed.utf8.count <= 16, trimmed.utf8.allSatisfy(\.isASCIIDigit) else {
            throw CredentialError(
                code: .keyVersionInvalid,
                message: "the key version must be 1 to 16 digits",
                hint: "give the key version the developer portal shows for the key (often 1), or leave it out to send none"
            )
        }
        self.value = trimmed
    }
}
