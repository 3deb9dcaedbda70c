/// Tells the four key structures apart by their outer ASN.1 shape, before any decoder runs.
///
/// OpenSSL 3's `d2i_PrivateKey` quietly accepts PKCS#8 as well as PKCS#1, so the structure
/// a key really has is read here instead:
/// - PKCS#8 `PrivateKeyInfo`: SEQUENCE { INTEGER version, SEQUENCE algorithm, OCTET STRING }
/// - PKCS#1 `RSAPrivateKey`: SEQUENCE { INTEGER version, INTEGER n, … }
/// - `SubjectPublicKeyInfo`: SEQUENCE { SEQUENCE algorithm, BIT STRING }
/// - PKCS#1 `RSAPublicKey`: SEQUENCE { INTEGER n, INTEGER e }
enum DERShape: Equatable {
    case privateKeyInfo
    case rsaPrivateKey
    case subjectPublicKeyInfo
    case rsaPublicKey
    case unknown

    private static let sequence: UInt8 = 0x30
    private static let integer: UInt8 = 0x02

    init(_ der: UnsafeRawBufferPointer) {
        guard let outer = Self.header(der, at: 0), der[0] == Self.sequence,
            outer.contentStart + outer.length == der.count,
            let first = Self.header(der, at: outer.contentStart)
        else {
            self = .unknown
            return
        }
        let firstTag = der[outer.contentStart]
        let secondOffset = first.contentStart + first.length
        guard secondOffset < der.count, Self.header(der, at: secondOffset) != nil else {
            self = .unknown
            return
        }
        let secondTag = der[secondOffset]
        switch (firstTag, secondTag) {
        case (Self.integer, Self.sequence): self = .privateKeyInfo
        case (Self.integer, Self.integer):
            // RSAPrivateKey starts with a one-byte version 0 (or 1 for multi-prime);
            // RSAPublicKey starts with the modulus, hundreds of bytes long.
            self = first.length == 1 ? .rsaPrivateKey : .rsaPublicKey
        case (Self.sequence, 0x03): self = .subjectPublicKeyInfo
        default: self = .unknown
        }
    }

    /// Tag-length header at `offset`: where the contents start and how long they are.
    private static func header(_ der: UnsafeRawBufferPointer, at offset: Int) -> (contentStart: Int, length: Int)? {
        guard offset + 2 <= der.count else { return nil }
        let first = Int(der[offset + 1])
        if first < 0x80 {
            return offset + 2 + first <= der.count ? (offset + 2, first) : nil
        }
        let lengthBytes = first & 0x7F
        guard lengthBytes >= 1, lengthBytes <= 4, offset + 2 + lengthBytes <= der.count else { return nil }
        var length = 0
        for index in 0..<lengthBytes {
            length = length << 8 | Int(der[offset + 2 + index])
        }
        let contentStart = offset + 2 + lengthBytes
        return contentStart + length <= der.count ? (contentStart, length) : nil
    }
}
