/// Base64 for values that are not secret: signatures and fingerprints as they appear in
/// CLI output, JSON and Alipay parameters.
public enum Base64Text {
    /// Standard base64 with padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        Base64.encodeToString(bytes)
    }

    /// Decodes a base64 signature; surrounding whitespace and line breaks are ignored.
    public static func decodeSignature(_ text: String) throws -> [UInt8] {
        do {
            let bytes = try Base64.decodeToArray(text)
            guard !bytes.isEmpty else { throw Base64.DecodingFailure.badLength }
            return bytes
        } catch {
            throw CryptoError(
                code: .signatureBadBase64,
                message: "the signature is not valid base64",
                hint: "pass the signature exactly as produced, standard base64 with = padding"
            )
        }
    }
}
