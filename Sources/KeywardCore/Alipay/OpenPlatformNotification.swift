import KeywardCrypto

/// An Alipay open-platform asynchronous notification (异步通知), as the merchant's endpoint
/// receives it: a form-encoded body whose `sign` covers every other parameter.
///
/// What is verified, as Alipay's documents and SDKs build it: drop `sign` and `sign_type`,
/// URL-decode the rest (`+` is a space), drop empty values, sort by name, and join as
/// `name=value` with `&`. `sign_type` says RSA2 (SHA256withRSA) or the legacy RSA.
public struct OpenPlatformNotification: Sendable, Equatable {
    /// The string the signature covers.
    public let content: String
    /// The base64 signature (`sign`).
    public let signature: String
    /// `RSA2` or `RSA`, from `sign_type` (RSA2 when absent).
    public let algorithm: String

    public init(formBody: String) throws {
        var parameters: [(String, String)] = []
        var signature: String?
        var algorithm = "RSA2"
        for pair in formBody.trimmingASCIIWhitespace().split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.formDecode(String(parts[0])), !name.isEmpty else { throw Self.malformed("a parameter name") }
            guard let value = Self.formDecode(parts.count == 2 ? String(parts[1]) : "") else {
                throw Self.malformed("the value of \(name)")
            }
            switch name {
            case "sign": signature = value
            case "sign_type": algorithm = value
            default: if !value.isEmpty { parameters.append((name, value)) }
            }
        }
        guard let signature, !signature.isEmpty else {
            throw CredentialError(
                code: .notificationUnsigned, message: "the notification has no sign parameter",
                hint: "give the notification's raw body exactly as Alipay posted it (application/x-www-form-urlencoded)")
        }
        self.signature = signature
        self.algorithm = algorithm
        self.content = parameters.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    private static func malformed(_ what: String) -> CredentialError {
        CredentialError(
            code: .notificationMalformed, message: "the notification's \(what) is not valid form encoding",
            hint: "give the raw body exactly as Alipay posted it, without decoding it first")
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte (UTF-8).
    static func formDecode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
