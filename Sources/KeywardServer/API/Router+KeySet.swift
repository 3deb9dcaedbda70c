import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import Logging
import NIOCore
import Synchronization

extension Router {
    /// `GET /v1/keysets/{mode}`: the current key set. With `If-None-Match` equal to the
    /// current ETag, answers 304 at once, or with `?wait=SECONDS` holds the request until the
    /// next commit (then 200 with the new set) or the wait ends (304).
    ///
    /// On the event loop, from the published snapshot; a first export of a version's private
    /// key to a peer is audited before it is sent, as work off the loop.
    func keySet(_ call: RouteCall) throws -> ImmediateAnswer {
        let snapshot = service.board.current(call.mode)
        guard let tag = call.request.ifNoneMatch, tag == snapshot.etag else {
            return deliver(snapshot, call).immediate
        }
        guard let waitText = call.request.query("wait") else { return .response(Self.notModified(snapshot)) }
        guard let seconds = Double(waitText), seconds >= 0, seconds.isFinite else {
            throw APIError(code: .badWait, message: "wait must be a number of seconds", hint: "for example ?wait=30")
        }
        let requested = Duration.milliseconds(Int64(min(seconds, 86_400) * 1000))
        let timeout = min(requested, service.limits.maxWait)
        return .hold(
            HeldRequest(board: service.board, mode: call.mode, revision: snapshot.revision, timeout: timeout) { [self] next in
                guard let next else { return .response(Self.notModified(snapshot)) }
                switch deliver(next, call) {
                case .response(let response):
                    recordWake(next)
                    return .response(response)
                case .deferred(let start):
                    return .deferred { reply in
                        start { response in
                            self.recordWake(next)
                            reply(response)
                        }
                    }
                case let other:
                    return other
                }
            })
    }

    /// The 200 with `snapshot`'s document, after its export is audited where it hands out
    /// the private key; 404 for a mode that is not served (which exports nothing, so audits
    /// nothing).
    private func deliver(_ snapshot: PublishedKeySet, _ call: RouteCall) -> HeldAnswer {
        guard snapshot.isServed else { return .response(.error(Self.notServed(snapshot.mode))) }
        guard service.exportsPrivateKey(snapshot.mode), let send = snapshot.exportResponse else {
            return .response(snapshot.publicResponse)
        }
        if exportIsRecorded(call.request, snapshot) { return .response(send) }
        return .deferred { [self] reply in
            whenExportRecorded(call.request, snapshot) { written in reply(written ? send : .error(APIError(Self.exportNotAudited))) }
        }
    }

    /// A watch woken by `snapshot` is being answered now (on its connection's loop, just before
    /// the write).
    private func recordWake(_ snapshot: PublishedKeySet) {
        let elapsed = ContinuousClock.now - snapshot.publishedAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        service.metrics.recordWake(snapshot.mode, revision: snapshot.revision, seconds: seconds)
    }

    private static func notModified(_ snapshot: PublishedKeySet) -> HTTPResponse {
        snapshot.notModifiedResponse
    }

    static func notServed(_ mode: Mode) -> APIError {
        APIError(
            code: .modeNotServed, message: "\(mode) mode is not served: it has no committed key set or is not activated",
            hint: "an operator must set it up, commit a rotation and activate it")
    }

    // MARK: Export audit

    /// Whether this peer's export of this snapshot's private key is already in the audit log.
    private func exportIsRecorded(_ request: HTTPRequest, _ snapshot: PublishedKeySet) -> Bool {
        exportsRecorded.withLock { records in
            if case .written = records[Self.exportKey(request, snapshot)] { return true }
            return false
        }
    }

    private static func exportKey(_ request: HTTPRequest, _ snapshot: PublishedKeySet) -> ExportKey {
        ExportKey(uid: request.peer.uid, mode: snapshot.mode, revision: snapshot.revision)
    }

    /// Audits a private-key export once per (peer uid, mode, revision), then calls `done` with
    /// whether the entry is written. Every export waits until that entry is written, also one
    /// that arrives while another request writes it: they wait on the one write, without a task
    /// each. If the entry cannot be written, the key is not sent (503), and the next read tries
    /// again.
    private func whenExportRecorded(_ request: HTTPRequest, _ snapshot: PublishedKeySet, _ done: @escaping @Sendable (Bool) -> Void) {
        let key = Self.exportKey(request, snapshot)
        let start = exportsRecorded.withLock { records -> Bool in
            switch records[key] {
            case .written:
                return false
            case .writing(var waiting):
                waiting.append(done)
                records[key] = .writing(waiting)
                return false
            case nil:
                records[key] = .writing([done])
                return true
            }
        }
        guard start else {
            if case .written = exportsRecorded.withLock({ $0[key] }) { done(true) }
            return
        }
        let service = self.service
        let peer = request.peer
        Task {
            var written = true
            do {
                try await service.recordAccess(
                    .exportPrivateKey, mode: snapshot.mode, by: peer, outcome: .ok, detail: "v\(snapshot.current?.version ?? 0)")
            } catch {
                written = false
                service.logger.error(
                    "could not audit a private-key export; the key was not sent", metadata: ["keyward.mode": "\(snapshot.mode)"])
            }
            let waiting = exportsRecorded.withLock { records -> [@Sendable (Bool) -> Void] in
                defer { records[key] = written ? .written : nil }
                if case .writing(let waiting) = records[key] { return waiting }
                return []
            }
            for waiter in waiting { waiter(written) }
        }
    }

    private static let exportNotAudited = AuditError(
        code: .writeFailed, message: "the export of the private key could not be written to the audit log",
        hint: "the key is sent only once its export is audited; check the state directory (disk space, permissions) and retry")
}
