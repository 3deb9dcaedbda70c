public import KeywardCrypto

/// Errors of merchant credentials and key-set validation (the rules of the seed documents).
public enum CredentialErrorDomain: ErrorDomain {
    public typealias Code = CredentialErrorCode
    public static let name = "credentials"
}

/// Errors of the rotation state machine: illegal transitions, expired rotations.
public enum RotationErrorDomain: ErrorDomain {
    public typealias Code = RotationErrorCode
    public static let name = "rotation"
}

/// Errors of the vault file: format, authentication, master keys, locking.
public enum VaultErrorDomain: ErrorDomain {
    public typealias Code = VaultErrorCode
    public static let name = "vault"
}

/// Errors of the audit log.
public enum AuditErrorDomain: ErrorDomain {
    public typealias Code = AuditErrorCode
    public static let name = "audit"
}

/// Errors of certificate mode: the app, Alipay and root certificates, chain and validity.
public enum CertificateErrorDomain: ErrorDomain {
    public typealias Code = CertificateErrorCode
    public static let name = "certificate"
}

public typealias CredentialError = KeywardError<CredentialErrorDomain>
public typealias CertificateError = KeywardError<CertificateErrorDomain>
public typealias RotationError = KeywardError<RotationErrorDomain>
public typealias VaultError = KeywardError<VaultErrorDomain>
public typealias AuditError = KeywardError<AuditErrorDomain>

/// Errors of a vault store shared by several nodes (PostgreSQL): conflicts, reachability.
public enum StoreErrorDomain: ErrorDomain {
    public typealias Code = StoreErrorCode
    public static let name = "store"
}

public typealias StoreError = KeywardError<StoreErrorDomain>

extension KeywardError where Domain == StoreErrorDomain {
    /// Codes that mean "no usable store right now": nothing answered, or what answered could
    /// not be trusted (its TLS certificate failed verify-full). A node then serves from its
    /// local copy and reports itself degraded; control actions wait.
    public static let unavailableCodes: Set<StoreErrorCode> = [.unreachable, .tlsVerifyFailed]

    /// Whether this error means the store cannot be used now (see `unavailableCodes`).
    public var meansStoreUnavailable: Bool { Self.unavailableCodes.contains(kind) }
}
