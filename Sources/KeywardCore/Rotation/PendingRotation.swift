public import Foundation
public import KeywardCrypto

/// A rotation that has begun but is not committed.
///
/// The two cases are different types so that a rotation still waiting for the platform key
/// can never be committed.
public enum PendingRotation: Sendable {
    /// The new merchant pair is known; the operator must upload its public key (or a CSR over
    /// it) and bring back the platform public key (or the certificates).
    case awaitingPlatformKey(AwaitingPlatformKey)
    /// Every key is known and the checks have passed: it can be committed.
    case ready(ReadyRotation)

    public var origin: KeySetOrigin {
        switch self {
        case .awaitingPlatformKey(let rotation): rotation.origin
        case .ready(let rotation): rotation.origin
        }
    }

    public var merchantPrivateKey: RSAPrivateKey {
        switch self {
        case .awaitingPlatformKey(let rotation): rotation.merchantPrivateKey
        case .ready(let rotation): rotation.merchantPrivateKey
        }
    }

    public var platformPublicKey: RSAPublicKey? { platform?.publicKey }

    public var platform: PlatformCredential? {
        switch self {
        case .awaitingPlatformKey: nil
        case .ready(let rotation): rotation.platform
        }
    }

    public var startedAt: Date {
        switch self {
        case .awaitingPlatformKey(let rotation): rotation.startedAt
        case .ready(let rotation): rotation.startedAt
        }
    }

    public var expiresAt: Date {
        switch self {
        case .awaitingPlatformKey(let rotation): rotation.expiresAt
        case .ready(let rotation): rotation.expiresAt
        }
    }

    /// Whether the rotation has outlived its lifetime at `now` and must be aborted.
    public func isExpired(at now: Date) -> Bool { now >= expiresAt }

    /// The state's name as the API and status show it.
    public func state(at now: Date) -> RotationState {
        if isExpired(at: now) { return .expired }
        switch self {
        case .awaitingPlatformKey: return .awaitingPlatformKey
        case .ready: return .ready
        }
    }
}

/// A rotation waiting for the platform public key.
public struct AwaitingPlatformKey: Sendable {
    public let origin: KeySetOrigin
    public let merchantPrivateKey: RSAPrivateKey
    public let startedAt: Date
    public let expiresAt: Date
}

/// A rotation with every key in place and every check passed.
public struct ReadyRotation: Sendable {
    public let origin: KeySetOrigin
    public let merchantPrivateKey: RSAPrivateKey
    public let platform: PlatformCredential
    public let startedAt: Date
    public let expiresAt: Date

    public var platformPublicKey: RSAPublicKey { platform.publicKey }
}
