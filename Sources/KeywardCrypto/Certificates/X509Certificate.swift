import CKeywardOpenSSL
public import Foundation

/// An X.509 certificate, as Alipay's certificate mode uses them (the app certificate, the
/// Alipay public key certificate, the certificates of the root file). Public data.
public final class X509Certificate: @unchecked Sendable {
    // Owned; freed in deinit. Only read after init.
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { X509_free(pointer) }

    // MARK: Reading

    /// Every certificate in `bytes`: PEM (any number of `CERTIFICATE` blocks, as in Alipay's
    /// root file) or one DER certificate. Refuses keys, requests and anything else, saying
    /// what it is.
    public static func all(in bytes: [UInt8]) throws -> [X509Certificate] {
        let text = String(decoding: bytes.prefix(1 << 20), as: UTF8.self)
        guard text.contains("-----BEGIN ") else {
            var cursor: UnsafePointer<UInt8>? = nil
            let certificate = bytes.withUnsafeBufferPointer { buffer -> OpaquePointer? in
                cursor = buffer.baseAddress
                return d2i_X509(nil, &cursor, buffer.count)
            }
            guard let certificate else {
                ERR_clear_error()
                throw CryptoError.notACertificate("is neither PEM nor a DER certificate")
            }
            return [X509Certificate(taking: certificate)]
        }
        for label in ["PRIVATE KEY", "RSA PRIVATE KEY", "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE REQUEST"]
        where text.contains("-----BEGIN \(label)-----") && !text.contains("-----BEGIN CERTIFICATE-----") {
            throw CryptoError.notACertificate("holds a \(label.lowercased()), not a certificate")
        }
        let bio = try MemoryBIO(reading: bytes)
        var certificates: [X509Certificate] = []
        while let certificate = PEM_read_bio_X509(bio.pointer, nil, nil, nil) {
            certificates.append(X509Certificate(taking: certificate))
        }
        ERR_clear_error()  // the end of the input reads as an error
        guard !certificates.isEmpty else { throw CryptoError.notACertificate("has no readable CERTIFICATE block") }
        return certificates
    }

    /// The one certificate in `bytes`.
    public convenience init(parsing bytes: [UInt8]) throws {
        let all = try X509Certificate.all(in: bytes)
        guard all.count == 1, let only = all.first else {
            throw CryptoError.notACertificate("holds \(all.count) certificates where one is expected")
        }
        guard X509_up_ref(only.pointer) == 1 else { throw CryptoError.openSSL("X509_up_ref") }
        self.init(taking: only.pointer)
    }

    // MARK: Fields

    /// The subject, RFC 2253 style (`CN=…,OU=…,O=…,C=…`).
    public var subject: String { Self.distinguishedName(X509_get_subject_name(pointer)) }

    /// The issuer, RFC 2253 style: the relative names in reverse order of the DER sequence.
    public var issuer: String { Self.distinguishedName(X509_get_issuer_name(pointer)) }

    /// The serial number in decimal.
    public var serialDecimal: String {
        guard let bignum = ASN1_INTEGER_to_BN(X509_get0_serialNumber(pointer), nil) else { return "0" }
        defer { BN_free(bignum) }
        guard let text = BN_bn2dec(bignum) else { return "0" }
        defer { CKeywardOpenSSL_free(text) }
        return String(cString: text)
    }

    /// The certificate's SN as Alipay computes it (`app_cert_sn`, `alipay_cert_sn`): the
    /// lowercase hex MD5 of the issuer (RFC 2253 style) followed by the decimal serial.
    public var alipaySN: String {
        Hex.encode(MD5.hash(Array((issuer + serialDecimal).utf8)))
    }

    public var notBefore: Date { Self.date(X509_get0_notBefore(pointer)) }
    public var notAfter: Date { Self.date(X509_get0_notAfter(pointer)) }

    /// The signature algorithm's OpenSSL long name, such as `sha256WithRSAEncryption`.
    public var signatureAlgorithm: String {
        let nid = X509_get_signature_nid(pointer)
        return OBJ_nid2ln(nid).map { String(cString: $0) } ?? "unknown"
    }

    /// The certified public key, when it is an RSA key Keyward accepts; nil otherwise (an EC
    /// root, a small key).
    public var rsaPublicKey: RSAPublicKey? {
        guard let key = X509_get_pubkey(pointer) else { return nil }
        let evp = EVPKey(taking: key)
        guard evp.isRSA, evp.bits >= RSAKeySize.minimumBits else { return nil }
        return try? RSAPublicKey(key: evp, sourceFormat: PublicKeyFormat(.spki, .der))
    }

    /// The certificate in PEM.
    public var pem: String {
        guard let bio = try? MemoryBIO(), PEM_write_bio_X509(bio.pointer, pointer) == 1 else { return "" }
        return String(decoding: bio.contents(), as: UTF8.self)
    }

    /// The certificate in DER (how the vault stores it).
    public var der: [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(pointer, &cursor)
        }
        return bytes
    }

    /// Whether the certificate is over `key`'s public half.
    public func certifies(_ key: RSAPublicKey) -> Bool { rsaPublicKey?.fingerprint == key.fingerprint }

    /// Whether the signature algorithm is one Alipay's root SN counts (RSA with SHA-1 or
    /// SHA-256).
    public var countsForAlipayRootSN: Bool {
        ["sha1WithRSAEncryption", "sha256WithRSAEncryption"].contains(signatureAlgorithm)
    }

    /// `alipay_root_cert_sn`: the SNs of the root file's RSA (SHA-1 or SHA-256) certificates,
    /// joined with `_`, in file order. Throws when none counts.
    public static func alipayRootSN(_ certificates: [X509Certificate]) throws -> String {
        let counted = certificates.filter(\.countsForAlipayRootSN)
        guard !counted.isEmpty else {
            throw CryptoError.notACertificate(
                "has no certificate signed with sha1WithRSAEncryption or sha256WithRSAEncryption, so no Alipay root SN")
        }
        return counted.map(\.alipaySN).joined(separator: "_")
    }

    // MARK: Helpers

    static func distinguishedName(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        var parts: [String] = []
        for index in stride(from: X509_NAME_entry_count(name) - 1, through: 0, by: -1) {
            guard let entry = X509_NAME_get_entry(name, index) else { continue }
            let nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))
            let key = OBJ_nid2sn(nid).map { String(cString: $0) } ?? "OID.\(nid)"
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry))
            guard length >= 0, let utf8 else { continue }
            defer { CKeywardOpenSSL_free(utf8) }
            parts.append("\(key)=\(String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self))")
        }
        return parts.joined(separator: ",")
    }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

/// MD5, only for Alipay's certificate SN (not for anything Keyward protects).
enum MD5 {
    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &digest, &length, EVP_md5(), nil) }
        precondition(ok == 1 && length == 16, "MD5 failed: \(OpenSSLErrorQueue.drain())")
        return digest
    }
}

extension CryptoError {
    static func notACertificate(_ what: String) -> CryptoError {
        CryptoError(
            code: .certificateUnreadable, message: "the file \(what)",
            hint:
                "give the certificate file the dashboard downloaded (PEM or DER): appCertPublicKey_<APPID>.crt, alipayCertPublicKey_RSA2.crt or alipayRootCert.crt"
        )
    }
}
