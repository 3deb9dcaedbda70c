public import Foundation

// What `keywardctl --json` prints for the commands that work without the daemon (the key
// tool, init, store). Commands that call keywardd print the daemon's answer as it came.

/// A key fingerprint (SHA-256 of the SubjectPublicKeyInfo DER) in both printed forms.
public struct FingerprintForms: Codable, Sendable, Equatable {
    public let sha256Hex: String
    public let sha256Base64: String

    public init(sha256Hex: String, sha256Base64: String) {
        self.sha256Hex = sha256Hex
        self.sha256Base64 = sha256Base64
    }
}

/// `keywardctl key generate --json`.
public struct GeneratedKeyPair: Codable, Sendable, Equatable {
    public let bits: Int
    public let privateKeyFile: String
    public let privateKeyFormat: String
    public let publicKeyFile: String
    public let publicKeyFormat: String
    public let fingerprint: FingerprintForms
    /// The public key in the one-line form a dashboard takes.
    public let publicKeyToUpload: String

    public init(
        bits: Int, privateKeyFile: String, privateKeyFormat: String, publicKeyFile: String, publicKeyFormat: String,
        fingerprint: FingerprintForms, publicKeyToUpload: String
    ) {
        self.bits = bits
        self.privateKeyFile = privateKeyFile
        self.privateKeyFormat = privateKeyFormat
        self.publicKeyFile = publicKeyFile
        self.publicKeyFormat = publicKeyFormat
        self.fingerprint = fingerprint
        self.publicKeyToUpload = publicKeyToUpload
    }
}

/// `keywardctl key convert --json`.
public struct ConvertedKey: Codable, Sendable, Equatable {
    public let inputFormat: String
    /// `private` or `public`.
    public let outputKind: String
    public let outputFormat: String
    public let outputFile: String
    public let fingerprint: FingerprintForms

    public init(inputFormat: String, outputKind: String, outputFormat: String, outputFile: String, fingerprint: FingerprintForms) {
        self.inputFormat = inputFormat
        self.outputKind = outputKind
        self.outputFormat = outputFormat
        self.outputFile = outputFile
        self.fingerprint = fingerprint
    }
}

/// `keywardctl key fingerprint --json`.
public struct KeyDescription: Codable, Sendable, Equatable {
    /// `private` or `public`.
    public let kind: String
    public let format: String
    public let bits: Int
    public let fingerprint: FingerprintForms

    public init(kind: String, format: String, bits: Int, fingerprint: FingerprintForms) {
        self.kind = kind
        self.format = format
        self.bits = bits
        self.fingerprint = fingerprint
    }
}

/// `keywardctl key match --json`.
public struct KeyMatch: Codable, Sendable, Equatable {
    public let match: Bool
    public let privateKeyFingerprint: FingerprintForms
    public let publicKeyFingerprint: FingerprintForms

    public init(match: Bool, privateKeyFingerprint: FingerprintForms, publicKeyFingerprint: FingerprintForms) {
        self.match = match
        self.privateKeyFingerprint = privateKeyFingerprint
        self.publicKeyFingerprint = publicKeyFingerprint
    }
}

/// `keywardctl key sign --json`.
public struct LocalSignature: Codable, Sendable, Equatable {
    public let algorithm: String
    public let signature: String
    public let fingerprint: FingerprintForms

    public init(algorithm: String, signature: String, fingerprint: FingerprintForms) {
        self.algorithm = algorithm
        self.signature = signature
        self.fingerprint = fingerprint
    }
}

/// `keywardctl key verify --json`.
public struct LocalVerification: Codable, Sendable, Equatable {
    public let valid: Bool
    public let algorithm: String
    public let fingerprint: FingerprintForms

    public init(valid: Bool, algorithm: String, fingerprint: FingerprintForms) {
        self.valid = valid
        self.algorithm = algorithm
        self.fingerprint = fingerprint
    }
}

/// `keywardctl init --json`.
public struct InitResult: Codable, Sendable, Equatable {
    public let installID: String
    /// The plain master key file, when no credential was sealed.
    public let masterKeyFile: String?
    public let credential: String?
    public let vault: String

    public init(installID: String, masterKeyFile: String?, credential: String?, vault: String) {
        self.installID = installID
        self.masterKeyFile = masterKeyFile
        self.credential = credential
        self.vault = vault
    }
}

/// `keywardctl store push --json`.
public struct StorePushResult: Codable, Sendable, Equatable {
    public let store: String
    public let installID: String
    public let generation: UInt64

    public init(store: String, installID: String, generation: UInt64) {
        self.store = store
        self.installID = installID
        self.generation = generation
    }
}

/// `keywardctl store migrate --json`.
public struct StoreMigrateResult: Codable, Sendable, Equatable {
    public let store: String
    public let fromVersion: Int
    public let toVersion: Int

    public init(store: String, fromVersion: Int, toVersion: Int) {
        self.store = store
        self.fromVersion = fromVersion
        self.toVersion = toVersion
    }
}

/// One certificate as `keywardctl key cert-info --json` shows it.
public struct CertificateSummary: Codable, Sendable, Equatable {
    public let subject: String
    public let issuer: String
    /// The serial number in decimal.
    public let serial: String
    /// The SN as Alipay computes it (`app_cert_sn`, `alipay_cert_sn`).
    public let sn: String
    public let signatureAlgorithm: String
    public let notBefore: Date
    public let notAfter: Date
    /// The certified RSA key's fingerprint (hex), when it is an RSA key.
    public let publicKeyFingerprint: String?
    /// With `--private-key`: whether the certificate is over that key.
    public let matchesPrivateKey: Bool?

    public init(
        subject: String, issuer: String, serial: String, sn: String, signatureAlgorithm: String, notBefore: Date, notAfter: Date,
        publicKeyFingerprint: String?, matchesPrivateKey: Bool?
    ) {
        self.subject = subject
        self.issuer = issuer
        self.serial = serial
        self.sn = sn
        self.signatureAlgorithm = signatureAlgorithm
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.publicKeyFingerprint = publicKeyFingerprint
        self.matchesPrivateKey = matchesPrivateKey
    }
}

/// `keywardctl key cert-info --json`.
public struct CertificateFileInfo: Codable, Sendable, Equatable {
    public let certificates: [CertificateSummary]
    /// `alipay_root_cert_sn` when the file holds a root certificate Alipay counts.
    public let alipayRootSN: String?

    public init(certificates: [CertificateSummary], alipayRootSN: String?) {
        self.certificates = certificates
        self.alipayRootSN = alipayRootSN
    }
}

/// `keywardctl key cert-sn --json`.
public struct CertificateSN: Codable, Sendable, Equatable {
    /// `app_cert_sn` / `alipay_cert_sn` of one certificate, or `alipay_root_cert_sn` of a root file.
    public let sn: String
    /// `certificate` or `root`.
    public let kind: String

    public init(sn: String, kind: String) {
        self.sn = sn
        self.kind = kind
    }
}

/// `keywardctl key csr --json`.
public struct CertificateRequestFile: Codable, Sendable, Equatable {
    public let csrFile: String
    /// Set when the command generated the key pair too.
    public let privateKeyFile: String?
    public let subject: String
    public let publicKeyFingerprint: String

    public init(csrFile: String, privateKeyFile: String?, subject: String, publicKeyFingerprint: String) {
        self.csrFile = csrFile
        self.privateKeyFile = privateKeyFile
        self.subject = subject
        self.publicKeyFingerprint = publicKeyFingerprint
    }
}
