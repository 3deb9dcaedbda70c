import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto

extension Router {
    /// `PUT /v1/modes/{mode}/account`: edits the mode's identity (PID and App ID, Client-ID,
    /// gateway, key version), email and API key; fields not given are kept.
    func setUp(_ call: RouteCall) async throws -> HTTPResponse {
        let body = try body(of: Endpoints.setUp, call)
        var clear: Set<AccountField> = []
        for name in body.clear ?? [] {
            guard let field = AccountField(rawValue: name) else {
                throw APIError(
                    code: .badField, message: "'\(name.prefix(32))' is not a field setup can clear",
                    hint: "clear one of \(AccountField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            clear.insert(field)
        }
        let edit = AccountEdit(
            pid: try body.pid.map(PID.init), appID: try body.appID.map(AppID.init), clientID: try body.clientID.map(ClientID.init),
            gatewayDomain: try body.gatewayDomain.map(GatewayDomain.init),
            platformKeyVersion: try body.platformKeyVersion.map(PlatformKeyVersion.init),
            accountEmail: try body.accountEmail.map(AccountEmail.init), apiKey: try body.apiKey.map { try APIKey($0) }, clear: clear)
        return try await transitionResponse(
            Endpoints.setUp, try await service.apply(.editAccount(edit), to: call.mode, by: call.request.peer))
    }

    /// Commands with no body: activate, deactivate, commit, abort, rollback.
    func simple(_ command: RotationCommand, _ endpoint: Endpoint<NoBody, ModeStatus>, _ call: RouteCall) async throws -> HTTPResponse {
        if let pending = try await requestApproval(command, call) { return pending }
        return try await transitionResponse(endpoint, try await service.apply(command, to: call.mode, by: call.request.peer))
    }

    /// Under two-person control (`approvals = 2`), files `command` as a request for a second
    /// operator and answers 202 with it; nil when the mode needs one operator.
    func requestApproval(_ command: RotationCommand, _ call: RouteCall) async throws -> HTTPResponse? {
        let access = service.access[call.mode]
        guard access.approvals > 1, ApprovalBook.needsSecondOperator(command) else { return nil }
        return try await fileApproval(.rotation(command), mode: call.mode, call)
    }

    /// Files `action` for a second operator of `mode`; 202 with the request.
    func fileApproval(_ action: ApprovalBook.Action, mode: Mode, _ call: RouteCall) async throws -> HTTPResponse {
        let access = service.access[mode]
        let request = try service.approvals.add(
            action, mode: mode, by: call.request.peer, at: await service.now(), window: access.approvalWindow)
        try await service.recordAccess(
            .requestApproval, mode: mode, by: call.request.peer, outcome: .ok,
            detail: "\(request.action): request \(request.id), until \(request.expiresAt.ISO8601Format())")
        return try .json(202, encoding: ApprovalStatus(request))
    }

    /// `GET /v1/modes/{mode}/approvals`.
    func approvalList(_ call: RouteCall) async throws -> HTTPResponse {
        let waiting = service.approvals.waiting(in: call.mode, at: await service.now())
        return try reply(Endpoints.approvals, ApprovalList(approvals: waiting.map(ApprovalStatus.init)))
    }

    /// `POST /v1/modes/{mode}/approve`: a second operator approves, and the action happens at
    /// once (or fails as it would have, if what it needs changed meanwhile).
    func approve(_ call: RouteCall) async throws -> HTTPResponse {
        let decision = try body(of: Endpoints.approve, call)
        let approver = call.request.peer
        // A rekey touches every mode: its approver must operate every mode, as its requester did.
        if let waiting = service.approvals.peek(decision.id, mode: call.mode), case .rekey = waiting.command,
            let lacking = Mode.allCases.first(where: { !(service.role(of: approver, in: $0).map { $0 >= .operator } ?? false) })
        {
            throw AccessPolicy.refusal(approver, needs: .operator, in: lacking)
        }
        let request = try service.approvals.takeForApproval(decision.id, mode: call.mode, by: approver, at: await service.now())
        try await service.recordAccess(
            .approve, mode: call.mode, by: approver, outcome: .ok,
            detail: "\(request.action): request \(request.id) of uid \(request.requestedBy.uid), approved by uid \(approver.uid)")
        switch request.command {
        case .rotation(let command):
            return try await transitionResponse(Endpoints.approve, try await service.apply(command, to: call.mode, by: approver))
        case .rekey:
            let path = try await service.rekey(by: approver)
            let status = ModeStatus(
                mode: call.mode, state: await service.contents()[call.mode], now: await service.now(), action: "rekey",
                policy: service.lifecyclePolicies[call.mode], note: Self.rekeyNext(path))
            return try reply(Endpoints.approve, status)
        }
    }

    /// `POST /v1/modes/{mode}/reject`.
    func reject(_ call: RouteCall) async throws -> HTTPResponse {
        let decision = try body(of: Endpoints.reject, call)
        let request = try service.approvals.remove(decision.id, mode: call.mode)
        try await service.recordAccess(
            .reject, mode: call.mode, by: call.request.peer, outcome: .ok,
            detail: "\(request.action): request \(request.id) of uid \(request.requestedBy.uid), rejected by uid \(call.request.peer.uid)")
        return try reply(Endpoints.reject, ApprovalStatus(request))
    }

    /// `POST /v1/modes/{mode}/rollback`, with an optional `{"toVersion": N}`.
    func rollback(_ call: RouteCall) async throws -> HTTPResponse {
        let target = call.request.body.isEmpty ? nil : try body(of: Endpoints.rollback, call).toVersion
        let command: RotationCommand = target.map { .rollbackTo(version: $0) } ?? .rollback
        if let pending = try await requestApproval(command, call) { return pending }
        return try await transitionResponse(Endpoints.rollback, try await service.apply(command, to: call.mode, by: call.request.peer))
    }

    /// `POST /v1/modes/{mode}/rotation`: begins a rotation: `generate` (Keyward makes the
    /// pair), `own-keys`, or `one-click` (the dashboard's replacement; `import` in 0.1.0).
    func beginRotation(_ call: RouteCall) async throws -> HTTPResponse {
        let body = try body(of: Endpoints.beginRotation, call)
        func field(_ value: String?, _ name: String) throws -> String {
            guard let value else {
                throw APIError(
                    code: .missingField, message: "a \(body.kind) rotation needs '\(name)'",
                    hint: "see docs/api.md, rotation")
            }
            return value
        }
        let command: RotationCommand
        switch body.kind {
        case .generate:
            guard let size = RSAKeySize(rawValue: body.bits ?? 2048) else {
                throw APIError(
                    code: .badBits, message: "bits must be 2048, 3072 or 4096", hint: "leave it out for 2048")
            }
            // Generating and fully checking keys takes tens of milliseconds of CPU: on the
            // low-priority worker, so serving never waits for a rotation.
            let key = try await service.keyWork.run { try RSAPrivateKey.generate(size: size) }
            command = .beginGenerate(key: key)
        case .ownKeys:
            let text = try field(body.privateKey, "privateKey")
            let privateKey = try await service.keyWork.run { try RSAPrivateKey.parsingText(text) }
            command = .beginOwnKeys(privateKey: privateKey, publicKey: try body.publicKey.map { try RSAPublicKey(parsing: $0) })
        case .oneClick, .legacyImport:
            guard body.privateKey != nil || body.platformKey != nil else {
                throw APIError(
                    code: .missingField,
                    message:
                        "a one-click rotation takes the private key the dashboard showed and its platform key ('privateKey', 'platformKey')",
                    hint:
                        "one-click is the dashboard's replacement; for a pair Keyward generates, use kind generate (0.1.0 called that one-click)"
                )
            }
            let text = try field(body.privateKey, "privateKey")
            let privateKey = try await service.keyWork.run { try RSAPrivateKey.parsingText(text) }
            command = .beginDashboardOneClick(
                privateKey: privateKey,
                platform: try Self.platformCredential(platformKey: body.platformKey, certificates: body.certificates))
        default:
            throw APIError(
                code: .badKind, message: "unknown rotation kind '\(body.kind.rawValue.prefix(20))'",
                hint: "use generate, own-keys or one-click")
        }
        _ = try await service.apply(command, to: call.mode, by: call.request.peer)
        return try reply(Endpoints.beginRotation, try await pendingRotation(call.mode))
    }

    /// `POST /v1/modes/{mode}/rotation/platform-key`.
    func platformKey(_ call: RouteCall) async throws -> HTTPResponse {
        let body = try body(of: Endpoints.platformKey, call)
        let platform = try Self.platformCredential(platformKey: body.platformKey, certificates: body.certificates)
        _ = try await service.apply(.providePlatform(platform), to: call.mode, by: call.request.peer)
        return try reply(Endpoints.platformKey, try await pendingRotation(call.mode))
    }

    /// `GET /v1/modes/{mode}/rotation`: the pending rotation, with the public key to upload.
    func rotationStatus(_ call: RouteCall) async throws -> HTTPResponse {
        try reply(Endpoints.rotation, try await pendingRotation(call.mode))
    }

    func pendingRotation(_ mode: Mode) async throws -> PendingRotationStatus {
        guard let pending = await service.contents()[mode].pending else {
            throw RotationError(
                code: .nonePending, message: "\(mode) mode has no pending rotation",
                hint: "begin one: keywardctl rotate \(mode) --one-click")
        }
        return PendingRotationStatus(mode: mode, pending: pending, now: await service.now())
    }

    func transitionResponse(_ endpoint: Endpoint<some Codable & Sendable, ModeStatus>, _ transition: Transition) async throws
        -> HTTPResponse
    {
        try reply(
            endpoint,
            ModeStatus(
                mode: transition.mode, state: transition.contents[transition.mode], now: await service.now(), action: transition.command,
                policy: service.lifecyclePolicies[transition.mode]))
    }

    /// `GET /v1/status`: both modes (those the peer has a role in) and the vault.
    func status(_ call: RouteCall) async throws -> HTTPResponse {
        let contents = await service.contents()
        let now = await service.now()
        let info = await service.vaultInfo()
        var modes: [Mode: ModeStatus] = [:]
        for mode in Mode.allCases where service.access.role(of: call.request.peer, in: mode) != nil {
            modes[mode] = ModeStatus(mode: mode, state: contents[mode], now: now, action: nil, policy: service.lifecyclePolicies[mode])
        }
        return try reply(
            Endpoints.status,
            StatusAnswer(
                modes: modes,
                vault: VaultStatus(location: info.location, generation: info.generation, installID: info.installID.hex),
                statusLine: await service.statusLine(modes: self.modes(of: call.request.peer, atLeast: .reader))))
    }

    /// `GET /v1/audit?limit=N`: the last N entries (default 100).
    func audit(_ call: RouteCall) async throws -> HTTPResponse {
        let limit = max(1, min(Int(call.request.query("limit") ?? "") ?? 100, 10_000))
        // An operator sees the entries of the modes they operate, and those of no mode (refused
        // connections, a rekey: host events that name no merchant data).
        let visible = modes(of: call.request.peer, atLeast: .operator)
        let everyMode = visible.count == Mode.allCases.count
        let entries = try await service.auditEntries(last: everyMode ? limit : 10_000).filter { entry in
            entry.mode.map(visible.contains) ?? true
        }
        return try reply(Endpoints.audit, AuditAnswer(entries: Array(entries.suffix(limit))))
    }

    /// `GET /v1/audit/verify`: checks the whole hash chain.
    func verifyAudit(_ call: RouteCall) async throws -> HTTPResponse {
        let check = try await service.checkAudit()
        return try reply(Endpoints.verifyAudit, AuditVerification(valid: check.valid, entries: check.entries, problem: check.problem))
    }

    /// `POST /v1/vault/rekey`: seals the vault under a new master key of the same install,
    /// written to a new file in the state directory, whose path is answered.
    func rekey(_ call: RouteCall) async throws -> HTTPResponse {
        // A new master key is a change to every mode: under two-person control of any mode
        // (live first), a second operator approves it.
        if let mode = [Mode.live, .test].first(where: { service.access[$0].approvals > 1 }) {
            return try await fileApproval(.rekey, mode: mode, call)
        }
        let path = try await service.rekey(by: call.request.peer)
        return try reply(Endpoints.rekey, RekeyAnswer(newMasterKeyFile: path, next: Self.rekeyNext(path)))
    }

    /// `POST /v1/backups`: a backup at this moment (operator of every mode: it holds both).
    func backup(_ call: RouteCall) async throws -> HTTPResponse {
        let (archive, manifest) = try await service.backup(by: call.request.peer)
        return try reply(Endpoints.backup, BackupAnswer(archive: Data(archive).base64EncodedString(), manifest: manifest))
    }

    static func rekeyNext(_ path: String) -> String {
        "the vault is sealed under the new key \(path) now: install it before the next restart (systemd-creds encrypt --name=\(MasterKeyLoader.credentialName) \(path) \(KeywardPaths.masterKeyCredential), or move it over master_key_file), then delete \(path)"
    }
}

extension RSAPrivateKey {
    /// Reads a private key sent as text in a request body.
    static func parsingText(_ text: String) throws -> RSAPrivateKey {
        // Our own copy of the text is zeroed once parsed. The String itself (made by the JSON
        // decoder) cannot be: docs/threat-model.md says where such copies can remain.
        var bytes = Array(text.utf8)
        defer { bytes.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } } }
        return try bytes.withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
    }
}
