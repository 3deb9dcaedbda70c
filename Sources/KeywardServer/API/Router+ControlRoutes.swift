import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto

extension Router {
    /// `PUT /v1/modes/{mode}/account`: PID, App ID, account email, API key.
    func setUp(_ request: HTTPRequest, _ mode: Mode) async throws -> HTTPResponse {
        try await require(.operator, mode, request)
        struct Body: Decodable {
            let pid: String
            let appID: String
            let accountEmail: String?
            let apiKey: String?
        }
        let body = try JSON.decode(Body.self, from: request.body)
        let account = try MerchantAccount(
            pid: PID(body.pid),
            appID: AppID(body.appID),
            accountEmail: try body.accountEmail.map(AccountEmail.init),
            apiKey: try body.apiKey.map { try APIKey($0) }
        )
        return try await transitionResponse(try await service.apply(.setUp(account), to: mode, by: request.peer), mode)
    }

    /// Commands with no body: activate, deactivate, commit, abort, rollback.
    func simple(_ command: RotationCommand, _ request: HTTPRequest, _ mode: Mode) async throws -> HTTPResponse {
        try await require(.operator, mode, request)
        return try await transitionResponse(try await service.apply(command, to: mode, by: request.peer), mode)
    }

    /// `POST /v1/modes/{mode}/rotation`: begins a rotation.
    /// `{"kind": "one-click", "bits": 2048}`, `{"kind": "own-keys", "privateKey": "…",
    /// "publicKey": "…"}`, or `{"kind": "import", "privateKey": "…", "platformKey": "…"}`.
    func beginRotation(_ request: HTTPRequest, _ mode: Mode) async throws -> HTTPResponse {
        try await require(.operator, mode, request)
        struct Body: Decodable {
            let kind: String
            let bits: Int?
            let privateKey: String?
            let publicKey: String?
            let platformKey: String?
        }
        let body = try JSON.decode(Body.self, from: request.body)
        func field(_ value: String?, _ name: String) throws -> String {
            guard let value else {
                throw APIError(
                    status: 400, code: "request.missing-field", message: "a \(body.kind) rotation needs '\(name)'",
                    hint: "see docs/api.md, rotation")
            }
            return value
        }
        let command: RotationCommand
        switch body.kind {
        case "one-click":
            guard let size = RSAKeySize(rawValue: body.bits ?? 2048) else {
                throw APIError(
                    status: 400, code: "request.bad-bits", message: "bits must be 2048, 3072 or 4096", hint: "leave it out for 2048")
            }
            // Generating and fully checking keys takes tens of milliseconds of CPU: on the
            // low-priority worker, so serving never waits for a rotation.
            let key = try await service.keyWork.run { try RSAPrivateKey.generate(size: size) }
            command = .beginOneClick(generatedKey: key)
        case "own-keys":
            let text = try field(body.privateKey, "privateKey")
            let privateKey = try await service.keyWork.run { try RSAPrivateKey.parsingText(text) }
            command = .beginOwnKeys(privateKey: privateKey, publicKey: try body.publicKey.map { try RSAPublicKey(parsing: $0) })
        case "import":
            let text = try field(body.privateKey, "privateKey")
            let privateKey = try await service.keyWork.run { try RSAPrivateKey.parsingText(text) }
            command = .beginImport(
                privateKey: privateKey, platformKey: try RSAPublicKey(parsing: try field(body.platformKey, "platformKey")))
        default:
            throw APIError(
                status: 400, code: "request.bad-kind", message: "unknown rotation kind '\(body.kind.prefix(20))'",
                hint: "use one-click, own-keys or import")
        }
        _ = try await service.apply(command, to: mode, by: request.peer)
        return try await rotationStatus(request, mode, status: 201)
    }

    /// `POST /v1/modes/{mode}/rotation/platform-key`: `{"platformKey": "…"}`.
    func platformKey(_ request: HTTPRequest, _ mode: Mode) async throws -> HTTPResponse {
        try await require(.operator, mode, request)
        struct Body: Decodable { let platformKey: String }
        let body = try JSON.decode(Body.self, from: request.body)
        _ = try await service.apply(.providePlatformKey(try RSAPublicKey(parsing: body.platformKey)), to: mode, by: request.peer)
        return try await rotationStatus(request, mode)
    }

    /// `GET /v1/modes/{mode}/rotation`: the pending rotation, with the public key to upload.
    func rotationStatus(_ request: HTTPRequest, _ mode: Mode, status: Int = 200) async throws -> HTTPResponse {
        try await require(.operator, mode, request)
        let state = await service.contents()[mode]
        guard let pending = state.pending else {
            throw APIError(
                status: 404, code: "rotation.none-pending", message: "\(mode) mode has no pending rotation",
                hint: "begin one: keywardctl rotate \(mode) --one-click")
        }
        return try .json(status, encoding: PendingRotationBody(mode: mode, pending: pending, now: await service.now()))
    }

    private func transitionResponse(_ transition: Transition, _ mode: Mode) async throws -> HTTPResponse {
        try .json(
            encoding: ModeStatusBody(
                mode: mode, state: transition.contents[mode], now: await service.now(), action: transition.command))
    }

    /// `GET /v1/status`: both modes (those the peer has a role in) and the vault.
    func status(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await requireAnyMode(.reader, request)
        let contents = await service.contents()
        let now = await service.now()
        let info = await service.vaultInfo()
        struct Body: Encodable {
            let modes: [String: ModeStatusBody]
            let vault: VaultBody
            let statusLine: String
        }
        struct VaultBody: Encodable {
            let location: String
            let generation: UInt64
            let installID: String
        }
        var modes: [String: ModeStatusBody] = [:]
        for mode in Mode.allCases where service.access.role(of: request.peer, in: mode) != nil {
            modes[mode.rawValue] = ModeStatusBody(mode: mode, state: contents[mode], now: now, action: nil)
        }
        return try .json(
            encoding: Body(
                modes: modes,
                vault: VaultBody(
                    location: info.location, generation: info.generation, installID: info.installID.hex),
                statusLine: await service.statusLine()
            )
        )
    }

    /// `GET /v1/audit?limit=N`: the last N entries (default 100).
    func audit(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await requireAnyMode(.operator, request)
        let limit = max(1, min(Int(request.query["limit"] ?? "") ?? 100, 10_000))
        let entries = try await service.auditEntries(last: limit)
        struct Body: Encodable { let entries: [AuditEntry] }
        return try .json(encoding: Body(entries: entries))
    }

    /// `GET /v1/audit/verify`: checks the whole hash chain.
    func verifyAudit(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await requireAnyMode(.operator, request)
        struct Body: Encodable {
            let valid: Bool
            let entries: Int
        }
        return try .json(encoding: Body(valid: true, entries: try await service.verifyAudit()))
    }

    /// `POST /v1/vault/rekey`: seals the vault under a new master key of the same install,
    /// written to a new file in the state directory, whose path is answered.
    func rekey(_ request: HTTPRequest) async throws -> HTTPResponse {
        for mode in Mode.allCases { try await require(.operator, mode, request) }
        let path = try await service.rekey(by: request.peer)
        struct Body: Encodable {
            let newMasterKeyFile: String
            let next: String
        }
        return try .json(
            encoding: Body(
                newMasterKeyFile: path,
                next:
                    "the vault is sealed under the new key now: install it before the next restart (systemd-creds encrypt --name=\(MasterKeyLoader.credentialName) \(path) \(KeywardPaths.masterKeyCredential), or move it over master_key_file), then delete \(path)"
            )
        )
    }
}

/// A mode as `status` and control answers show it.
struct ModeStatusBody: Encodable {
    struct Account: Encodable {
        let pid: String
        let appID: String
        let accountEmail: String?
        let hasAPIKey: Bool
    }

    let mode: String
    let action: String?
    let active: Bool
    let served: Bool
    let revision: Int
    let account: Account?
    let current: KeySetSummary?
    let previous: PreviousBody?
    let pending: PendingRotationBody?
    let history: Int

    struct PreviousBody: Encodable {
        let version: Int
        let graceEndsAt: Date
        let inGraceWindow: Bool
    }

    init(mode: Mode, state: ModeState, now: Date, action: String?) {
        self.mode = mode.rawValue
        self.action = action
        self.active = state.isActive
        self.served = state.isActive && state.current != nil
        self.revision = state.revision
        self.account = state.account.map {
            Account(pid: $0.pid.value, appID: $0.appID.value, accountEmail: $0.accountEmail?.value, hasAPIKey: $0.apiKey != nil)
        }
        self.current = state.current?.summary
        self.previous = state.previous.map {
            PreviousBody(version: $0.keySet.version, graceEndsAt: $0.graceEndsAt, inGraceWindow: $0.isWithinGrace(at: now))
        }
        self.pending = state.pending.map { PendingRotationBody(mode: mode, pending: $0, now: now) }
        self.history = state.history.count
    }
}

/// A pending rotation, with what the operator does next.
struct PendingRotationBody: Encodable {
    let mode: String
    let state: String
    let origin: String
    let merchantKeyFingerprint: String
    let merchantPublicKeyToUpload: String
    let platformKeyFingerprint: String?
    let startedAt: Date
    let expiresAt: Date
    let next: String

    init(mode: Mode, pending: PendingRotation, now: Date) {
        self.mode = mode.rawValue
        self.state = pending.stateName(at: now)
        self.origin = pending.origin.rawValue
        self.merchantKeyFingerprint = pending.merchantPrivateKey.publicKey.fingerprint.hex
        self.merchantPublicKeyToUpload = pending.merchantPrivateKey.publicKey.bareBase64
        self.platformKeyFingerprint = pending.platformPublicKey?.fingerprint.hex
        self.startedAt = pending.startedAt
        self.expiresAt = pending.expiresAt
        switch state {
        case "expired": next = "abort it (keywardctl abort \(mode)) and begin a new rotation"
        case "ready": next = "commit it (keywardctl commit \(mode)): the new private key and platform key go live together"
        default:
            next =
                "paste merchantPublicKeyToUpload into the dashboard (Alipay+: Developers > Key configuration; open platform: 应用信息 > 接口加签方式), then give Keyward the platform public key it returns: keywardctl platform-key \(mode) --platform-key FILE"
        }
    }
}

extension RSAPrivateKey {
    /// Reads a private key sent as text in a request body.
    static func parsingText(_ text: String) throws -> RSAPrivateKey {
        try Array(text.utf8).withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
    }
}
