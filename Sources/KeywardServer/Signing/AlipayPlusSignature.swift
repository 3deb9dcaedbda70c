/// The Alipay+ message signature: what is signed, and the `Signature` header that carries it.
///
/// Content to sign (request) or verify (response):
/// `<HTTP METHOD> <HTTP URI>\n<Client-Id>.<Request-Time or Response-Time>.<HTTP body>`.
/// Header value: `algorithm=RSA256,keyVersion=<n>,signature=<URL-encoded base64>`, without
/// `keyVersion` when the mode has none configured (the platform then uses its default key).
public enum AlipayPlusSignature {
    /// The exact bytes that are signed.
    public static func content(method: String, path: String, clientID: String, time: String, body: String) -> String {
        "\(method.uppercased()) \(path)\n\(clientID).\(time).\(body)"
    }

    /// The complete `Signature` header value.
    public static func headerValue(signatureBase64: String, keyVersion: String?) -> String {
        "algorithm=RSA256,\(keyVersion.map { "keyVersion=\($0)," } ?? "")signature=\(percentEncode(signatureBase64))"
    }

    /// The base64 signature inside a `Signature` header value, or the value itself if it is
    /// already a bare signature.
    public static func signature(fromHeader value: String) -> String {
        for field in value.split(separator: ",") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: " ") == "signature" {
                return percentDecode(String(parts[1]))
            }
        }
        return value
    }

    /// Percent-encodes everything outside RFC 3986's unreserved set (so `+`, `/`, `=`).
    static func percentEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                result += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
