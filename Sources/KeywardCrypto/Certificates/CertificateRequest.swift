import CKeywardOpenSSL

/// A PKCS#10 certificate signing request (CSR) over a merchant key, for the dashboard's
/// certificate mode (公钥证书): it is uploaded, and the app public key certificate comes back.
public enum CertificateRequest {
    /// The subject fields the dashboard reads; empty ones are left out.
    public struct Subject: Sendable, Equatable {
        public var country: String
        public var state: String
        public var locality: String
        public var organization: String
        public var organizationalUnit: String
        public var commonName: String

        public init(
            country: String = "CN", state: String = "", locality: String = "", organization: String = "", organizationalUnit: String = "",
            commonName: String
        ) {
            self.country = country
            self.state = state
            self.locality = locality
            self.organization = organization
            self.organizationalUnit = organizationalUnit
            self.commonName = commonName
        }

        var fields: [(String, String)] {
            [("C", country), ("ST", state), ("L", locality), ("O", organization), ("OU", organizationalUnit), ("CN", commonName)]
                .filter { !$0.1.isEmpty }
        }
    }

    /// The CSR in PEM, signed with SHA256withRSA by `key`.
    public static func pem(for key: RSAPrivateKey, subject: Subject) throws -> String {
        guard !subject.commonName.isEmpty else {
            throw CryptoError(
                code: .keyUnrecognized, message: "a certificate request needs a common name",
                hint: "give --common-name (for example the app's name as the dashboard shows it)")
        }
        guard subject.country.utf8.count == 2 else {
            throw CryptoError(
                code: .keyUnrecognized, message: "the country must be a two-letter code, not '\(subject.country.prefix(8))'",
                hint: "for example CN, SG or US")
        }
        guard let request = X509_REQ_new() else { throw CryptoError.openSSL("X509_REQ_new") }
        defer { X509_REQ_free(request) }
        guard let name = X509_NAME_new() else { throw CryptoError.openSSL("X509_NAME_new") }
        defer { X509_NAME_free(name) }
        for (field, value) in subject.fields {
            let added = value.withCString { text in
                text.withMemoryRebound(to: UInt8.self, capacity: value.utf8.count + 1) {
                    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, $0, -1, -1, 0)
                }
            }
            guard added == 1 else { throw CryptoError.openSSL("X509_NAME_add_entry_by_txt \(field)") }
        }
        guard X509_REQ_set_version(request, 0) == 1, X509_REQ_set_subject_name(request, name) == 1,
            X509_REQ_set_pubkey(request, key.key.pointer) == 1
        else { throw CryptoError.openSSL("X509_REQ_set_*") }
        guard X509_REQ_sign(request, key.key.pointer, EVP_sha256()) > 0 else { throw CryptoError.openSSL("X509_REQ_sign") }
        let bio = try MemoryBIO()
        guard PEM_write_bio_X509_REQ(bio.pointer, request) == 1 else { throw CryptoError.openSSL("PEM_write_bio_X509_REQ") }
        return String(decoding: bio.contents(), as: UTF8.self)
    }
}
