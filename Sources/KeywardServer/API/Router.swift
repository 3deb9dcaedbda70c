import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import Logging
import Synchronization

/// Matches each request once against the route table, checks the caller's role there,
/// runs the route's handler, renders every error in the one JSON shape, and counts
/// requests. See docs/api.md for the routes.
public final class Router: RequestResponder {
    let service: KeywardService
    let routes = RouteTable.keyward
    /// (uid, mode, revision) of private-key exports in the audit log, or being written to it.
    let exportsRecorded = Mutex<[ExportKey: ExportRecord]>([:])
    /// Refusals of peers with no role at all, recorded at most once a minute per uid.
    let refusals = Mutex(RefusalLimiter())

    /// One peer's export of one revision of a mode's private key.
    struct ExportKey: Hashable {
        let uid: UInt32
        let mode: Mode
        let revision: Int
    }

    enum ExportRecord {
        case written
        /// The audit write in flight, and the exports waiting for it (called with whether it
        /// was written).
        case writing([@Sendable (Bool) -> Void])
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
        guard let more = admitRefusal(peer) else { return }
        service.logger.warning(
            "refused a peer with no role", metadata: ["keyward.peer_uid": "\(peer.uid)", "keyward.peer_pid": "\(peer.pid)"])
        try? await service.recordAccess(.connect, mode: nil, by: peer, outcome: .refused, detail: "no role in any mode" + more)
    }

    /// For a peer with no role at all: nil when this refusal is only counted (one was recorded
    /// this minute), else what to add to the entry about the refusals counted before it.
    private func admitRefusal(_ peer: Peer) -> String? {
        let (record, before) = refusals.withLock { $0.admit(peer.uid, at: .now) }
        guard record else { return nil }
        return before == 0 ? "" : "; \(before) more refused in the minute before, not recorded one by one"
    }

    /// The one entry point: match, check the role, run the handler.
    public func answer(_ request: HTTPRequest) -> ImmediateAnswer {
        let started = ContinuousClock.now
        let entry: RouteEntry
        let call: RouteCall
        do {
            (entry, call) = try routes.match(request)
        } catch {
            return metered(.response(.error(APIError(error))), "unmatched", request, since: started)
        }
        if let refusal = refusal(of: call, access: entry.access) {
            return metered(.later { [self] in await refuse(call, refusal) }, entry.route.pattern, request, since: started)
        }
        let answer: ImmediateAnswer
        switch entry.handler {
        case .immediate(let handler):
            do {
                answer = try handler(self, call)
            } catch {
                answer = .response(.error(failure(error, call)))
            }
        case .pooled(let handler):
            answer = .pooled(service.signingPool) { [self] in
                do {
                    return try handler(self, call)
                } catch {
                    return .error(failure(error, call))
                }
            }
        case .work(let handler):
            answer = .later { [self] in
                do {
                    return try await handler(self, call)
                } catch {
                    return .error(failure(error, call))
                }
            }
        }
        return metered(answer, entry.route.pattern, request, since: started)
    }

    /// The response as a connection would send it, waiting for what it waits for (tests, fuzzing).
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let response = await answer(request).resolved()
        request.body.wipe()
        return response
    }

    /// The API error of a handler's failure; an internal one is logged (the answer says only
    /// "internal").
    private func failure(_ error: any Error, _ call: RouteCall) -> APIError {
        let apiError = APIError(error)
        if apiError.status == 500 {
            service.logger.error("request failed", metadata: ["route": "\(call.route)", "error": "\(apiError.code)"])
        }
        return apiError
    }

    // MARK: Roles

    /// Why the peer may not call the route (the role it lacks and the mode), or nil.
    private func refusal(of call: RouteCall, access: RouteAccess) -> (needs: Role, mode: Mode?)? {
        let peer = call.request.peer
        func has(_ role: Role, _ mode: Mode) -> Bool { service.role(of: peer, in: mode).map { $0 >= role } ?? false }
        switch access {
        case .anyPeer:
            return nil
        case .inMode(let role):
            return has(role, call.mode) ? nil : (role, call.mode)
        case .inAnyMode(let role):
            return Mode.allCases.contains { has(role, $0) } ? nil : (role, nil)
        case .inEveryMode(let role):
            return Mode.allCases.first { !has(role, $0) }.map { (role, $0) }
        }
    }

    /// The modes in which the peer has at least `role` (what it may see of status, metrics
    /// and the audit log).
    func modes(of peer: Peer, atLeast role: Role) -> Set<Mode> {
        Set(Mode.allCases.filter { mode in service.role(of: peer, in: mode).map { $0 >= role } ?? false })
    }

    /// Audits a refusal, then answers 403.
    private func refuse(_ call: RouteCall, _ refusal: (needs: Role, mode: Mode?)) async -> HTTPResponse {
        let request = call.request
        // A peer with no role at all: its connection's refusal is the record (once a minute).
        if service.access.knows(request.peer) || admitRefusal(request.peer) != nil {
            try? await service.recordAccess(
                .request(method: request.method, path: request.path), mode: refusal.mode, by: request.peer, outcome: .refused,
                detail: "needs \(refusal.needs)")
        }
        return .error(AccessPolicy.refusal(request.peer, needs: refusal.needs, in: refusal.mode))
    }

    // MARK: Metrics

    /// The answer, counted in the request metrics when its response is known.
    private func metered(_ answer: ImmediateAnswer, _ route: String, _ request: HTTPRequest, since started: ContinuousClock.Instant)
        -> ImmediateAnswer
    {
        switch answer {
        case .response(let response): metered(.response(response), route, request, since: started).immediate
        case .later(let work): metered(.later(work), route, request, since: started).immediate
        case .deferred(let start): metered(.deferred(start), route, request, since: started).immediate
        case .pooled(let pool, let job):
            .pooled(pool) { [self] in
                let response = job()
                record(route, request, response, since: started)
                return response
            }
        case .hold(let held): .hold(held.mapAnswer { [self] in metered($0, route, request, since: started) })
        }
    }

    /// A response counted now; work counted when it is done.
    private func metered(_ answer: HeldAnswer, _ route: String, _ request: HTTPRequest, since started: ContinuousClock.Instant)
        -> HeldAnswer
    {
        switch answer {
        case .response(let response):
            record(route, request, response, since: started)
            return answer
        case .later(let work):
            return .later { [self] in
                let response = await work()
                record(route, request, response, since: started)
                return response
            }
        case .deferred(let start):
            return .deferred { [self] reply in
                start { response in
                    self.record(route, request, response, since: started)
                    reply(response)
                }
            }
        }
    }

    private func record(_ route: String, _ request: HTTPRequest, _ response: HTTPResponse, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        service.metrics.record(route: route, method: request.method, status: response.status, seconds: seconds)
    }

    // MARK: Typed bodies

    /// The request body of `endpoint`, decoded (every failure a 400 that says what was wrong).
    func body<Request, Answer>(of endpoint: Endpoint<Request, Answer>, _ call: RouteCall) throws -> Request {
        try JSON.decode(Request.self, from: call.request.body)
    }

    /// The body of sign and verify, read without Foundation JSON (the signing path).
    func body<Answer>(of endpoint: Endpoint<SigningRequest, Answer>, _ call: RouteCall) throws -> SigningRequest {
        try SigningRequest.scanned(from: call.request.body)
    }

    /// The answer of sign, written without Foundation JSON (the signing path).
    func reply(_ endpoint: Endpoint<SigningRequest, SignAnswer>, _ answer: SignAnswer) -> HTTPResponse {
        .json(endpoint.successStatus, answer.json)
    }

    /// The success response of `endpoint` with `answer`: the type system holds the daemon to
    /// the shape keywardctl decodes.
    func reply<Request, Answer>(_ endpoint: Endpoint<Request, Answer>, _ answer: Answer) throws -> HTTPResponse {
        try .json(endpoint.successStatus, encoding: answer)
    }
}
