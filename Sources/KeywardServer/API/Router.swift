import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import Logging
import Synchronization

/// Dispatches complete requests to their routes, checks roles, renders every error in the
/// one JSON shape, and counts requests. See docs/api.md for the routes.
public final class Router: RequestResponder {
    let service: KeywardService
    /// (uid, mode, revision) of private-key exports in the audit log, or being written to it.
    private let exportsRecorded = Mutex<[String: ExportRecord]>([:])

    private enum ExportRecord {
        case written
        /// The audit write in flight; true once it is on disk.
        case writing(Task<Bool, Never>)
    }

    public init(service: KeywardService) {
        self.service = service
    }

    public func isKnown(_ peer: Peer) -> Bool {
        service.access.knows(peer)
    }

    public func releaseHeldRequests() {
        service.board.releaseAllWatchers()
    }

    public func connectionRefused(_ peer: Peer) async {
        service.logger.warning(
            "refused a peer with no role", metadata: ["keyward.peer_uid": "\(peer.uid)", "keyward.peer_pid": "\(peer.pid)"])
        try? await service.recordAccess(.connect, mode: nil, by: peer, outcome: .refused, detail: "no role in any mode")
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let (route, response) = await dispatch(request)
        record(route, request, response, since: started)
        return response
    }

    /// Health, and key-set reads and watches by a peer that is a reader, on the event loop:
    /// these need only the published snapshot. A refusal and a first private-key export of a
    /// version (both audited first) go the full way.
    public func answerAtOnce(_ request: HTTPRequest) -> ImmediateAnswer {
        let started = ContinuousClock.now
        let path = request.path
        if path == "/v1/health" && request.method == "GET", let response = try? health() {
            record("/v1/health", request, response, since: started)
            return .response(response)
        }
        let prefix = "/v1/keysets/"
        guard request.method == "GET", path.hasPrefix(prefix), let mode = Mode(name: String(path.dropFirst(prefix.count))) else {
            return .later
        }
        guard let granted = service.role(of: request.peer, in: mode), granted >= .reader else { return .later }
        let answer: ImmediateAnswer
        do {
            answer = try keySetAtOnce(request, mode)
        } catch {
            answer = .response(.error(APIError(error)))
        }
        switch answer {
        case .response(let response):
            record("/v1/keysets/{mode}", request, response, since: started)
        case .hold(let held):
            return .hold(
                HeldRequest(board: held.board, mode: held.mode, revision: held.revision, timeout: held.timeout) { [self] snapshot in
                    let answer = held.answer(snapshot)
                    if case .response(let response) = answer { record("/v1/keysets/{mode}", request, response, since: started) }
                    return answer
                })
        case .later:
            break
        }
        return answer
    }

    private func record(_ route: String, _ request: HTTPRequest, _ response: HTTPResponse, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        service.metrics.record(route: route, method: request.method, status: response.status, seconds: seconds)
    }

    private func dispatch(_ request: HTTPRequest) async -> (String, HTTPResponse) {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        do {
            switch segments {
            case ["v1", "health"]:
                return ("/v1/health", try only("GET", request) { try health() })
            case ["metrics"]:
                return ("/metrics", try await onlyAsync("GET", request) { try await metrics(request) })
            case ["v1", "status"]:
                return ("/v1/status", try await onlyAsync("GET", request) { try await status(request) })
            case let path where path.count >= 3 && path[0] == "v1" && path[1] == "keysets":
                let mode = try parseMode(path[2])
                switch Array(path.dropFirst(3)) {
                case []: return ("/v1/keysets/{mode}", try await onlyAsync("GET", request) { try await keySet(request, mode) })
                case ["previous"]:
                    return ("/v1/keysets/{mode}/previous", try await onlyAsync("GET", request) { try await previousKeySet(request, mode) })
                case ["sign"]: return ("/v1/keysets/{mode}/sign", try await onlyAsync("POST", request) { try await sign(request, mode) })
                case ["verify"]:
                    return ("/v1/keysets/{mode}/verify", try await onlyAsync("POST", request) { try await verify(request, mode) })
                default: throw APIError.notFound("route \(request.path)")
                }
            case let path where path.count >= 4 && path[0] == "v1" && path[1] == "modes":
                let mode = try parseMode(path[2])
                let route = "/v1/modes/{mode}/" + path.dropFirst(3).joined(separator: "/")
                switch Array(path.dropFirst(3)) {
                case ["account"]: return (route, try await onlyAsync("PUT", request) { try await setUp(request, mode) })
                case ["activate"]: return (route, try await onlyAsync("POST", request) { try await simple(.activate, request, mode) })
                case ["deactivate"]: return (route, try await onlyAsync("POST", request) { try await simple(.deactivate, request, mode) })
                case ["rotation"]:
                    switch request.method {
                    case "GET": return (route, try await rotationStatus(request, mode))
                    case "POST": return (route, try await beginRotation(request, mode))
                    default: throw APIError.methodNotAllowed(request.method, request.path, allowed: ["GET", "POST"])
                    }
                case ["rotation", "platform-key"]:
                    return (route, try await onlyAsync("POST", request) { try await platformKey(request, mode) })
                case ["rotation", "commit"]:
                    return (route, try await onlyAsync("POST", request) { try await simple(.commit, request, mode) })
                case ["rotation", "abort"]: return (route, try await onlyAsync("POST", request) { try await simple(.abort, request, mode) })
                case ["rollback"]: return (route, try await onlyAsync("POST", request) { try await simple(.rollback, request, mode) })
                default: throw APIError.notFound("route \(request.path)")
                }
            case ["v1", "audit"]:
                return ("/v1/audit", try await onlyAsync("GET", request) { try await audit(request) })
            case ["v1", "audit", "verify"]:
                return ("/v1/audit/verify", try await onlyAsync("GET", request) { try await verifyAudit(request) })
            case ["v1", "vault", "rekey"]:
                return ("/v1/vault/rekey", try await onlyAsync("POST", request) { try await rekey(request) })
            default:
                throw APIError.notFound("route \(request.path)")
            }
        } catch {
            let apiError = APIError(error)
            if apiError.status == 500 {
                service.logger.error("request failed", metadata: ["path": "\(request.path)", "error": "\(apiError.code)"])
            }
            return ("unmatched", .error(apiError))
        }
    }

    private func only(_ method: String, _ request: HTTPRequest, _ body: () throws -> HTTPResponse) throws -> HTTPResponse {
        guard request.method == method else { throw APIError.methodNotAllowed(request.method, request.path, allowed: [method]) }
        return try body()
    }

    private func onlyAsync(_ method: String, _ request: HTTPRequest, _ body: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        guard request.method == method else { throw APIError.methodNotAllowed(request.method, request.path, allowed: [method]) }
        return try await body()
    }

    private func parseMode(_ segment: String) throws -> Mode {
        guard let mode = Mode(name: segment) else {
            throw APIError(
                status: 404, code: "mode.unknown", message: "there is no mode '\(segment.prefix(32))'", hint: "the modes are test and live")
        }
        return mode
    }

    /// Throws 403 (and audits it) unless the peer has at least `role` in `mode`.
    func require(_ role: Role, _ mode: Mode, _ request: HTTPRequest) async throws {
        if let granted = service.role(of: request.peer, in: mode), granted >= role { return }
        try? await service.recordAccess(
            .request(method: request.method, path: request.path), mode: mode, by: request.peer, outcome: .refused, detail: "needs \(role)")
        throw AccessPolicy.refusal(request.peer, needs: role, in: mode)
    }

    /// Throws 403 unless the peer has at least `role` in some mode.
    func requireAnyMode(_ role: Role, _ request: HTTPRequest) async throws {
        if Mode.allCases.contains(where: { service.access.role(of: request.peer, in: $0).map { $0 >= role } ?? false }) { return }
        try? await service.recordAccess(
            .request(method: request.method, path: request.path), mode: nil, by: request.peer, outcome: .refused, detail: "needs \(role)")
        throw AccessPolicy.refusal(request.peer, needs: role, in: nil)
    }

    /// Whether this peer's export of this snapshot's private key is already in the audit log.
    func exportIsRecorded(_ request: HTTPRequest, _ snapshot: PublishedKeySet) -> Bool {
        exportsRecorded.withLock { records in
            if case .written = records[Self.exportKey(request, snapshot)] { return true }
            return false
        }
    }

    private static func exportKey(_ request: HTTPRequest, _ snapshot: PublishedKeySet) -> String {
        "\(request.peer.uid)/\(snapshot.mode)/\(snapshot.revision)"
    }

    /// Audits a private-key export once per (peer uid, mode, revision). Every export waits
    /// until that entry is written, also one that arrives while another request writes it.
    /// If the entry cannot be written, the key is not sent: 503, and the next read tries again.
    func recordExport(_ request: HTTPRequest, _ snapshot: PublishedKeySet) async throws {
        let key = Self.exportKey(request, snapshot)
        let service = self.service
        let peer = request.peer
        let writing = exportsRecorded.withLock { records -> Task<Bool, Never>? in
            switch records[key] {
            case .written: return nil
            case .writing(let task): return task
            case nil:
                let task = Task<Bool, Never> {
                    do {
                        try await service.recordAccess(
                            .exportPrivateKey, mode: snapshot.mode, by: peer, outcome: .ok,
                            detail: "v\(snapshot.current?.version ?? 0)")
                        return true
                    } catch {
                        return false
                    }
                }
                records[key] = .writing(task)
                return task
            }
        }
        guard let writing else { return }
        let written = await writing.value
        exportsRecorded.withLock { $0[key] = written ? .written : nil }
        guard written else {
            service.logger.error(
                "could not audit a private-key export; the key was not sent", metadata: ["keyward.mode": "\(snapshot.mode)"])
            throw APIError(
                status: 503, code: "audit.write-failed", message: "the export of the private key could not be written to the audit log",
                hint: "the key is sent only once its export is audited; check the state directory (disk space, permissions) and retry")
        }
    }
}
