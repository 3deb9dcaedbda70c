public import KeywardAPI

/// The codes of `RotationError`: The rotation state machine (docs/rotation.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum RotationErrorCode: String, ErrorCode, CaseIterable {
    case alreadyActive = "rotation.already-active"
    case alreadyInactive = "rotation.already-inactive"
    case exportUnchanged = "rotation.export-unchanged"
    case awaitingPlatformKey = "rotation.awaiting-platform-key"
    case expired = "rotation.expired"
    case graceWindowOpen = "rotation.grace-window-open"
    case graceWindowOver = "rotation.grace-window-over"
    case noAccount = "rotation.no-account"
    case noKeySet = "rotation.no-key-set"
    case nonePending = "rotation.none-pending"
    case nothingToRollBack = "rotation.nothing-to-roll-back"
    case pendingExists = "rotation.pending-exists"
    case platformKeyAlreadySet = "rotation.platform-key-already-set"
    case rollbackTargetMismatch = "rotation.rollback-target-mismatch"
    case sameKey = "rotation.same-key"

    public var status: Int {
        switch self {
        case .nonePending: 404
        default: 409
        }
    }
}
