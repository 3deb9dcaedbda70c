import KeywardAPI
import KeywardConfiguration
import KeywardCore

/// Who may call a route. Checked in one place, `Router.answer`, before any handler runs.
enum RouteAccess: Sendable {
    /// Any peer the connection let in (health).
    case anyPeer
    /// At least this role in the route's `{mode}`.
    case inMode(Role)
    /// At least this role in some mode (status, metrics, the audit log).
    case inAnyMode(Role)
    /// At least this role in every mode (rekey, which seals both).
    case inEveryMode(Role)
}

/// A request matched to its route: the route and the mode its path names.
struct RouteCall: Sendable {
    let request: HTTPRequest
    let route: Route
    /// The `{mode}` of the path; nil for routes without one.
    let pathMode: Mode?

    /// The route's mode; only for routes whose pattern has `{mode}` (the table guarantees it).
    var mode: Mode {
        guard let pathMode else { preconditionFailure("\(route) has no {mode}") }
        return pathMode
    }
}

/// One row of the route table: the route, who may call it, and what answers it.
struct RouteEntry: Sendable {
    let route: Route
    let access: RouteAccess
    let handler: Handler

    enum Handler: Sendable {
        /// On the event loop, from the published snapshots: answers now, holds, or hands
        /// back work.
        case immediate(@Sendable (Router, RouteCall) throws -> ImmediateAnswer)
        /// On the concurrency pool.
        case work(@Sendable (Router, RouteCall) async throws -> HTTPResponse)
        /// On the signing pool's threads (CPU-bound, synchronous: signing).
        case pooled(@Sendable (Router, RouteCall) throws -> HTTPResponse)
    }
}

/// The route table: each request is matched once against it.
struct RouteTable: Sendable {
    let entries: [RouteEntry]

    /// The entry for the request's method and path, with the path's mode. Throws
    /// `mode.unknown` (404) for a path of a known shape naming no mode, `route.not-found`
    /// (404) for an unknown path, and `route.method-not-allowed` (405) with the methods the
    /// path has.
    func match(_ request: HTTPRequest) throws -> (RouteEntry, RouteCall) {
        let segments = Array(request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
        var allowed: [HTTPMethod] = []
        for entry in entries {
            guard let modeText = entry.route.match(segments) else { continue }
            var mode: Mode?
            if let modeText {
                guard let named = Mode(name: modeText) else {
                    throw APIError(
                        code: .modeUnknown, message: "there is no mode '\(modeText.prefix(32))'",
                        hint: "the modes are test and live")
                }
                mode = named
            }
            guard entry.route.method.rawValue == request.method else {
                allowed.append(entry.route.method)
                continue
            }
            return (entry, RouteCall(request: request, route: entry.route, pathMode: mode))
        }
        guard allowed.isEmpty else {
            throw APIError.methodNotAllowed(request.method, request.path, allowed: allowed.map(\.rawValue))
        }
        throw APIError.notFound("route \(request.path)")
    }
}

extension RouteTable {
    /// Every route of `Endpoints`, with its role and handler. See docs/api.md.
    static let keyward = RouteTable(entries: [
        RouteEntry(route: Endpoints.health.route, access: .anyPeer, handler: .immediate { router, _ in try router.health() }),
        RouteEntry(route: Endpoints.keySet.route, access: .inMode(.reader), handler: .immediate { try $0.keySet($1) }),
        RouteEntry(route: Endpoints.previousKeySet.route, access: .inMode(.reader), handler: .work { try await $0.previousKeySet($1) }),
        RouteEntry(route: Endpoints.sign.route, access: .inMode(.signer), handler: .pooled { try $0.sign($1) }),
        RouteEntry(route: Endpoints.verify.route, access: .inMode(.reader), handler: .work { try await $0.verify($1) }),
        RouteEntry(route: Endpoints.metrics, access: .inAnyMode(.reader), handler: .work { try await $0.metrics($1) }),
        RouteEntry(route: Endpoints.status.route, access: .inAnyMode(.reader), handler: .work { try await $0.status($1) }),
        RouteEntry(route: Endpoints.setUp.route, access: .inMode(.operator), handler: .work { try await $0.setUp($1) }),
        RouteEntry(
            route: Endpoints.activate.route, access: .inMode(.operator),
            handler: .work { try await $0.simple(.activate, Endpoints.activate, $1) }),
        RouteEntry(
            route: Endpoints.deactivate.route, access: .inMode(.operator),
            handler: .work { try await $0.simple(.deactivate, Endpoints.deactivate, $1) }),
        RouteEntry(route: Endpoints.rotation.route, access: .inMode(.operator), handler: .work { try await $0.rotationStatus($1) }),
        RouteEntry(route: Endpoints.beginRotation.route, access: .inMode(.operator), handler: .work { try await $0.beginRotation($1) }),
        RouteEntry(route: Endpoints.platformKey.route, access: .inMode(.operator), handler: .work { try await $0.platformKey($1) }),
        RouteEntry(route: Endpoints.rotationCSR.route, access: .inMode(.operator), handler: .work { try await $0.rotationCSR($1) }),
        RouteEntry(
            route: Endpoints.addAlipayCertificate.route, access: .inMode(.operator),
            handler: .work { try await $0.addAlipayCertificate($1) }),
        RouteEntry(
            route: Endpoints.commit.route, access: .inMode(.operator), handler: .work { try await $0.simple(.commit, Endpoints.commit, $1) }
        ),
        RouteEntry(
            route: Endpoints.abort.route, access: .inMode(.operator), handler: .work { try await $0.simple(.abort, Endpoints.abort, $1) }),
        RouteEntry(
            route: Endpoints.rollback.route, access: .inMode(.operator),
            handler: .work { try await $0.rollback($1) }),
        RouteEntry(route: Endpoints.approvals.route, access: .inMode(.operator), handler: .work { try await $0.approvalList($1) }),
        RouteEntry(route: Endpoints.approve.route, access: .inMode(.operator), handler: .work { try await $0.approve($1) }),
        RouteEntry(route: Endpoints.reject.route, access: .inMode(.operator), handler: .work { try await $0.reject($1) }),
        RouteEntry(route: Endpoints.audit.route, access: .inAnyMode(.operator), handler: .work { try await $0.audit($1) }),
        RouteEntry(route: Endpoints.verifyAudit.route, access: .inAnyMode(.operator), handler: .work { try await $0.verifyAudit($1) }),
        RouteEntry(route: Endpoints.rekey.route, access: .inEveryMode(.operator), handler: .work { try await $0.rekey($1) }),
        RouteEntry(route: Endpoints.backup.route, access: .inEveryMode(.operator), handler: .work { try await $0.backup($1) }),
    ])
}
