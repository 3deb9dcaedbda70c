/// Base64 of secret bytes, in and out of `SecretBytes`, for other Keyward modules (master
/// key files). Input whitespace is skipped.
public enum Base64Secret {
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> SecretBytes {
        Base64.encode(bytes)
    }

    public static func decode(_ text: UnsafeRawBufferPointer) throws -> SecretBytes {
        do {
            return try Base64.decode(text)
        } catch {
            throw CryptoError(code: .encodingBadBase64, message: "the value is not valid base64", hint: "copy it again whole")
        }
    }
}
