// The errors of key parsing and validation. Each names what was found and what to do; none
// quotes the input.
extension CryptoError {
    static func emptyKey(_ role: KeyRole) -> CryptoError {
        CryptoError(
            code: .keyEmpty,
            message: "the \(role.noun) is empty",
            hint: "pass the file or text that holds the key; check that the copy or export did not fail"
        )
    }

    static func badPEM(_ failure: PEM.ParseFailure, role: KeyRole) -> CryptoError {
        switch failure {
        case .missingEnd(let label):
            return CryptoError(
                code: .keyPemTruncated,
                message: "the PEM block '\(label)' has no matching END line: the \(role.noun) is truncated",
                hint: "copy the whole key, from the -----BEGIN line to the -----END line"
            )
        case .mismatchedEnd(let begin, let end):
            return CryptoError(
                code: .keyPemTruncated,
                message: "the PEM block begins as '\(begin)' but ends as '\(end)': two keys are mixed up or one is truncated",
                hint: "copy one whole key, from its -----BEGIN line to its own -----END line"
            )
        case .encryptedHeaders:
            return encryptedKey()
        case .badBody(let label):
            return CryptoError(
                code: .keyPemDamaged,
                message: "the base64 inside the PEM block '\(label)' is damaged",
                hint: "copy the key again from its source; do not edit the lines between BEGIN and END"
            )
        case .trailingData("CERTIFICATE"):
            // A certificate file with its issuing CA after it (as Alipay's are).
            return unsupportedPEMLabel("CERTIFICATE", role: role)
        case .trailingData(let label):
            return CryptoError(
                code: .keyAmbiguous,
                message:
                    "the text holds more than one \(role.noun): after the '\(label)' block there is more (another key, a certificate or other bytes)",
                hint: "give exactly one key: the lines from its -----BEGIN to its -----END, nothing after"
            )
        case .noBlock:
            return CryptoError(
                code: .keyUnrecognized,
                message: "found a -----BEGIN line but no complete PEM block",
                hint: "copy the whole key, from the -----BEGIN line to the -----END line"
            )
        }
    }

    static func badBase64(_ role: KeyRole) -> CryptoError {
        CryptoError(
            code: .keyBadBase64,
            message: "the \(role.noun) looks like bare base64 but its length or padding is wrong: it is truncated or has extra characters",
            hint: "copy the key again from the dashboard or the key tool, as one complete line"
        )
    }

    static func unrecognizedKey(_ role: KeyRole, startsWithSSH: Bool) -> CryptoError {
        if startsWithSSH {
            return CryptoError(
                code: .keyUnrecognized,
                message: "this is an OpenSSH public key line, not a PEM, DER or base64 \(role.noun)",
                hint: "export it as PEM: ssh-keygen -e -m PKCS8 -f KEY.pub"
            )
        }
        return CryptoError(
            code: .keyUnrecognized,
            message: "the \(role.noun) is neither PEM, bare base64 nor DER",
            hint: "give the key as PEM (-----BEGIN …), as the one-line base64 the dashboard shows, or as a DER file"
        )
    }

    static func notAKey(_ role: KeyRole, encoding: KeyEncoding) -> CryptoError {
        CryptoError(
            code: .keyUnrecognized,
            message: "the \(encoding == .der ? "DER" : "base64") input is not an RSA \(role.noun) in any structure Keyward reads",
            hint: role == .privateKey
                ? "give an RSA private key in PKCS#1 or PKCS#8; check that it was copied whole"
                : "give an RSA public key as SubjectPublicKeyInfo or PKCS#1; check that it was copied whole"
        )
    }

    static func damagedKey(_ role: KeyRole, label: String) -> CryptoError {
        CryptoError(
            code: .keyDamaged,
            message: "the PEM block '\(label)' does not hold a valid \(role.noun): its contents are damaged",
            hint: "copy the key again from its source"
        )
    }

    static func encryptedKey() -> CryptoError {
        CryptoError(
            code: .keyEncrypted,
            message: "the private key is encrypted with a passphrase",
            hint: "decrypt it first (openssl pkey -in KEY.pem -out PLAIN.pem) and keep the plain copy only as long as needed"
        )
    }

    static func unsupportedPEMLabel(_ label: String, role: KeyRole) -> CryptoError {
        switch label {
        case "CERTIFICATE":
            return CryptoError(
                code: .keyCertificate,
                message: "this is an X.509 certificate, not a \(role.noun)",
                hint: role == .publicKey
                    ? "in Alipay's certificate mode (公钥证书) give the three files instead: keywardctl platform-key MODE --app-cert … --alipay-cert … --root-cert … (docs/certificates.md); for a bare public key: openssl x509 -in CERT.pem -pubkey -noout"
                    : "give the private key that belongs to the certificate"
            )
        case "OPENSSH PRIVATE KEY":
            return CryptoError(
                code: .keyOpenssh,
                message: "this is an OpenSSH-format private key",
                hint: "convert it to PEM first: ssh-keygen -p -m PEM -f KEY (on a copy)"
            )
        case "EC PRIVATE KEY":
            return wrongAlgorithm("EC", role: role)
        default:
            return CryptoError(
                code: .keyUnrecognized,
                message: "the PEM label '\(label)' is not a \(role.noun) label Keyward reads",
                hint: role == .privateKey
                    ? "give a key labelled RSA PRIVATE KEY or PRIVATE KEY"
                    : "give a key labelled PUBLIC KEY or RSA PUBLIC KEY"
            )
        }
    }

    static func wrongAlgorithm(_ algorithm: String, role: KeyRole) -> CryptoError {
        CryptoError(
            code: .keyNotRsa,
            message: "this is an \(algorithm) \(role.noun); Alipay RSA2 needs an RSA key of 2048 bits or more",
            hint: "generate an RSA pair: keywardctl key generate --bits 2048"
        )
    }

    static func keyTooSmall(bits: Int, role: KeyRole) -> CryptoError {
        CryptoError(
            code: .keyTooSmall,
            message: "this is a \(bits)-bit RSA \(role.noun); Alipay RSA2 needs 2048 bits or more",
            hint: "generate a new pair of at least 2048 bits: keywardctl key generate --bits 2048"
        )
    }

    static func keyTooLarge(bits: Int, role: KeyRole) -> CryptoError {
        CryptoError(
            code: .keyTooLarge,
            message: "this is a \(bits)-bit RSA \(role.noun); Keyward accepts at most \(RSAKeySize.maximumBits) bits",
            hint: "use a 2048, 3072 or 4096-bit key"
        )
    }

    static func multiPrime(primes: Int) -> CryptoError {
        CryptoError(
            code: .keyMultiPrime,
            message:
                "the private key is a multi-prime RSA key (\(primes) primes); the SDKs Keyward serves it to cannot load one (python-rsa)",
            hint:
                "generate a standard two-prime key: keywardctl key generate, or openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"
        )
    }

    static func inconsistentKey(_ role: KeyRole) -> CryptoError {
        CryptoError(
            code: .keyDamaged,
            message: "the RSA \(role.noun) fails OpenSSL's consistency check: its numbers do not fit together",
            hint: "the key is damaged; copy it again from its source or generate a new pair"
        )
    }

    static func expected(_ role: KeyRole) -> CryptoError {
        switch role {
        case .privateKey:
            return CryptoError(
                code: .keyExpectedPrivate,
                message: "this is a public key where a private key is expected",
                hint: "give the private key (the one the dashboard shows only once, or the one your key tool saved)"
            )
        case .publicKey:
            return CryptoError(
                code: .keyExpectedPublic,
                message: "this is a private key where a public key is expected",
                hint: "give the public key; derive it with: keywardctl key convert --public --in PRIVATE_KEY"
            )
        }
    }
}
