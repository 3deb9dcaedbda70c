/// Every route of the socket API, named once. docs/api.md describes each; the daemon's
/// route table maps each to its role and handler, and `RouteCatalogTests` checks that the
/// table and this list are the same.
public enum Endpoints {
    // Serving: what payment services call.
    public static let health = Endpoint<NoBody, HealthAnswer>(.get, "/v1/health")
    public static let keySet = Endpoint<NoBody, KeySetDocument>(.get, "/v1/keysets/{mode}")
    public static let previousKeySet = Endpoint<NoBody, PreviousKeySetAnswer>(.get, "/v1/keysets/{mode}/previous")
    public static let sign = Endpoint<SigningRequest, SignAnswer>(.post, "/v1/keysets/{mode}/sign")
    public static let verify = Endpoint<SigningRequest, VerifyAnswer>(.post, "/v1/keysets/{mode}/verify")
    /// Prometheus text, not JSON: a route without an `Endpoint`.
    public static let metrics = Route(.get, "/metrics")

    // Operating: what keywardctl calls.
    public static let status = Endpoint<NoBody, StatusAnswer>(.get, "/v1/status")
    public static let setUp = Endpoint<SetUpRequest, ModeStatus>(.put, "/v1/modes/{mode}/account")
    public static let activate = Endpoint<NoBody, ModeStatus>(.post, "/v1/modes/{mode}/activate")
    public static let deactivate = Endpoint<NoBody, ModeStatus>(.post, "/v1/modes/{mode}/deactivate")
    public static let rotation = Endpoint<NoBody, PendingRotationStatus>(.get, "/v1/modes/{mode}/rotation")
    public static let beginRotation = Endpoint<RotationRequest, PendingRotationStatus>(
        .post, "/v1/modes/{mode}/rotation", successStatus: 201)
    public static let platformKey = Endpoint<PlatformKeyRequest, PendingRotationStatus>(
        .post, "/v1/modes/{mode}/rotation/platform-key")
    /// Certificate mode: a CSR over the pending rotation's merchant key.
    public static let rotationCSR = Endpoint<CSRRequest, CSRAnswer>(.post, "/v1/modes/{mode}/rotation/csr")
    /// Certificate mode: a renewed Alipay certificate beside the one in use.
    public static let addAlipayCertificate = Endpoint<AlipayCertificateRequest, ModeStatus>(
        .post, "/v1/modes/{mode}/alipay-certificates")
    /// A backup of the vault and its audit log, wrapped to the recovery key (operator of every mode).
    public static let backup = Endpoint<NoBody, BackupAnswer>(.post, "/v1/backups")
    public static let commit = Endpoint<NoBody, ModeStatus>(.post, "/v1/modes/{mode}/rotation/commit")
    public static let abort = Endpoint<NoBody, ModeStatus>(.post, "/v1/modes/{mode}/rotation/abort")
    /// The body is optional: `{"toVersion": N}` rolls back only to version N.
    public static let rollback = Endpoint<RollbackRequest, ModeStatus>(.post, "/v1/modes/{mode}/rollback")
    /// Two-person control: the requests waiting in a mode, and the second operator's decision.
    public static let approvals = Endpoint<NoBody, ApprovalList>(.get, "/v1/modes/{mode}/approvals")
    public static let approve = Endpoint<ApprovalDecision, ModeStatus>(.post, "/v1/modes/{mode}/approve")
    public static let reject = Endpoint<ApprovalDecision, ApprovalStatus>(.post, "/v1/modes/{mode}/reject")
    public static let audit = Endpoint<NoBody, AuditAnswer>(.get, "/v1/audit")
    public static let verifyAudit = Endpoint<NoBody, AuditVerification>(.get, "/v1/audit/verify")
    public static let rekey = Endpoint<NoBody, RekeyAnswer>(.post, "/v1/vault/rekey")

    /// All routes, in the order docs/api.md lists them.
    public static let all: [Route] = [
        health.route, keySet.route, previousKeySet.route, sign.route, verify.route, metrics,
        status.route, setUp.route, activate.route, deactivate.route, rotation.route, beginRotation.route,
        platformKey.route, rotationCSR.route, addAlipayCertificate.route, commit.route, abort.route, rollback.route, approvals.route,
        approve.route, reject.route, audit.route,
        verifyAudit.route, rekey.route, backup.route,
    ]
}
