import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import NIOCore

extension Router {
    /// `GET /v1/keysets/{mode}`: the current key set. With `If-None-Match` equal to the
    /// current ETag, answers 304 at once, or with `?wait=SECONDS` holds the request until the
    /// next commit (then 200 with the new set) or the wait ends (304).
    ///
    /// The full path; `keySetAtOnce` answers the same request on the event loop when it can.
    func keySet(_ request: HTTPRequest, _ mode: Mode) async throws -> HTTPResponse {
        try await require(.reader, mode, request)
        var snapshot = service.board.current(mode)
        switch try keySetAsk(request, snapshot) {
        case .send:
            break
        case .notModified:
            return Self.notModified(snapshot)
        case .wait(let timeout):
            guard let next = await service.board.next(mode, after: snapshot.revision, timeout: timeout) else {
                return Self.notModified(snapshot)
            }
            snapshot = next
        }
        if exports(snapshot) { try await recordExport(request, snapshot) }
        return try keySetResponse(snapshot)
    }

    /// The key-set read for a peer known to be a reader of `mode`, without suspending:
    /// `.later` when it needs an audit entry first (a first export).
    func keySetAtOnce(_ request: HTTPRequest, _ mode: Mode) throws -> ImmediateAnswer {
        let snapshot = service.board.current(mode)
        switch try keySetAsk(request, snapshot) {
        case .send:
            if exports(snapshot) && !exportIsRecorded(request, snapshot) { return .later }
            return .response(try keySetResponse(snapshot))
        case .notModified:
            return .response(Self.notModified(snapshot))
        case .wait(let timeout):
            return .hold(
                HeldRequest(board: service.board, mode: mode, revision: snapshot.revision, timeout: timeout) { [self] next in
                    guard let next else { return .response(Self.notModified(snapshot)) }
                    // A first export is audited before it is sent: the full path does that
                    // (the request's ETag no longer matches, so it sends the newest set).
                    if exports(next) && !exportIsRecorded(request, next) { return .later }
                    do { return .response(try keySetResponse(next)) } catch { return .response(.error(APIError(error))) }
                })
        }
    }

    /// What a key-set read asks for, given the current snapshot.
    enum KeySetAsk {
        case send
        case notModified
        case wait(Duration)
    }

    private func keySetAsk(_ request: HTTPRequest, _ snapshot: PublishedKeySet) throws -> KeySetAsk {
        guard let tag = request.headers["if-none-match"], tag == snapshot.etag else { return .send }
        guard let waitText = request.query["wait"] else { return .notModified }
        guard let seconds = Double(waitText), seconds >= 0, seconds.isFinite else {
            throw APIError(status: 400, code: "request.bad-wait", message: "wait must be a number of seconds", hint: "for example ?wait=30")
        }
        let requested = Duration.milliseconds(Int64(min(seconds, 86_400) * 1000))
        return .wait(min(requested, service.limits.maxWait))
    }

    /// Whether a read of `snapshot` hands out the private key: only a served mode's (a read
    /// of a mode that is not served answers 404 and exports nothing, so audits nothing).
    private func exports(_ snapshot: PublishedKeySet) -> Bool {
        snapshot.isServed && service.exportsPrivateKey(snapshot.mode) && snapshot.exportDocument != nil
    }

    /// The 200 with the snapshot's document (with the private key when the mode exports it).
    private func keySetResponse(_ snapshot: PublishedKeySet) throws -> HTTPResponse {
        guard snapshot.isServed else { throw Self.notServed(snapshot.mode) }
        let headers = [("ETag", snapshot.etag), ("Cache-Control", "no-store")]
        if service.exportsPrivateKey(snapshot.mode), let document = snapshot.exportDocument {
            return .json(200, document.withUnsafeBytes { ByteBuffer(bytes: $0) }, headers: headers)
        }
        return .json(200, snapshot.publicDocument, headers: headers)
    }

    private static func notModified(_ snapshot: PublishedKeySet) -> HTTPResponse {
        HTTPResponse(status: 304, headers: [("ETag", snapshot.etag)], body: [])
    }

    /// `GET /v1/keysets/{mode}/previous`: the set before the last commit, while the grace
    /// window is open (public keys only).
    func previousKeySet(_ request: HTTPRequest, _ mode: Mode) async throws -> HTTPResponse {
        try await require(.reader, mode, request)
        let snapshot = service.board.current(mode)
        guard snapshot.isServed, let previous = snapshot.previous(at: await service.now()) else {
            throw APIError(
                status: 404, code: "keyset.no-previous", message: "\(mode) mode has no previous key set in its grace window",
                hint: "the previous set is kept for the grace window after a commit")
        }
        struct Body: Encodable {
            let mode: String
            let version: Int
            let keyVersion: String
            let graceEndsAt: Date
            let merchantPublicKey: KeySetDocument.PublicKeyForms
            let platformPublicKey: KeySetDocument.PublicKeyForms
        }
        return try .json(
            encoding: Body(
                mode: mode.rawValue,
                version: previous.keySet.version,
                keyVersion: String(previous.keySet.version),
                graceEndsAt: previous.graceEndsAt,
                merchantPublicKey: .init(previous.keySet.merchantPublicKey),
                platformPublicKey: .init(previous.keySet.platformPublicKey)
            )
        )
    }

    /// `GET /v1/health`: liveness and what each mode serves.
    func health() throws -> HTTPResponse {
        struct ModeHealth: Encodable {
            let served: Bool
            let version: Int?
        }
        struct Body: Encodable {
            let status: String
            let modes: [String: ModeHealth]
        }
        var modes: [String: ModeHealth] = [:]
        for mode in Mode.allCases {
            let snapshot = service.board.current(mode)
            modes[mode.rawValue] = ModeHealth(served: snapshot.isServed, version: snapshot.current?.version)
        }
        return try .json(encoding: Body(status: service.degradation ?? "ok", modes: modes))
    }

    /// `GET /metrics`: Prometheus text.
    func metrics(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await requireAnyMode(.reader, request)
        var text = service.metrics.render()
        let contents = await service.contents()
        let now = await service.now()
        text += "# HELP keyward_keyset_version The current key version of each mode (0: none).\n# TYPE keyward_keyset_version gauge\n"
        for mode in Mode.allCases { text += "keyward_keyset_version{mode=\"\(mode)\"} \(contents[mode].current?.version ?? 0)\n" }
        text += "# HELP keyward_keyset_age_seconds Time since the current set was committed.\n# TYPE keyward_keyset_age_seconds gauge\n"
        for mode in Mode.allCases {
            if let current = contents[mode].current {
                text += "keyward_keyset_age_seconds{mode=\"\(mode)\"} \(Int(now.timeIntervalSince(current.committedAt)))\n"
            }
        }
        text += "# HELP keyward_rotation_pending Whether a rotation is pending (1) or not (0).\n# TYPE keyward_rotation_pending gauge\n"
        for mode in Mode.allCases { text += "keyward_rotation_pending{mode=\"\(mode)\"} \(contents[mode].pending == nil ? 0 : 1)\n" }
        text += "# HELP keyward_watchers Watch requests waiting for the next commit.\n# TYPE keyward_watchers gauge\n"
        for mode in Mode.allCases { text += "keyward_watchers{mode=\"\(mode)\"} \(service.board.watcherCount(mode))\n" }
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: Array(text.utf8))
    }

    static func notServed(_ mode: Mode) -> APIError {
        APIError(
            status: 404, code: "mode.not-served", message: "\(mode) mode is not served: it has no committed key set or is not activated",
            hint: "an operator must set it up, commit a rotation and activate it")
    }
}
