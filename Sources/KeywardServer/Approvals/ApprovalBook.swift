public import Foundation
public import KeywardCore
import KeywardCrypto
import Synchronization

/// Control actions of a mode under two-person control (`approvals = 2`), waiting for a second
/// operator. Held in memory: a restart drops every request, which fails closed (nothing
/// happens without a fresh request and a fresh approval). The approval and the action are one
/// step, so there is no moment in which an action is approved but not applied.
public final class ApprovalBook: Sendable {
    /// What waits: a change of the mode, or a rekey of the whole vault (filed under live, or
    /// the mode whose two-person control asks for it).
    public enum Action: Sendable {
        case rotation(RotationCommand)
        case rekey
    }

    public struct Request: Sendable {
        public let id: String
        public let mode: Mode
        public let command: Action
        public let requestedBy: Peer
        public let requestedAt: Date
        public let expiresAt: Date

        /// The action as operators and the audit log name it.
        public var action: String {
            switch command {
            case .rotation(.rollbackTo(let version)): "rollback to v\(version)"
            case .rotation(let rotation): rotation.actionName
            case .rekey: "rekey"
            }
        }
    }

    private let requests = Mutex<[String: Request]>([:])

    /// What changes what services get: commit, rollback, activate, deactivate. (Setup, the
    /// steps of a rotation and abort change nothing served; an identity change is staged and
    /// goes live only with a commit.)
    public static func needsSecondOperator(_ command: RotationCommand) -> Bool {
        switch command {
        // A renewed Alipay certificate changes what verifies the platform's answers.
        case .commit, .rollback, .rollbackTo, .activate, .deactivate, .addAlipayCertificate: true
        default: false
        }
    }

    public init() {}

    /// Files a request; returns it.
    func add(_ command: Action, mode: Mode, by peer: Peer, at now: Date, window: Duration) throws -> Request {
        let id = Hex.encode(try SecureRandom.bytes(count: 4))
        let request = Request(
            id: id, mode: mode, command: command, requestedBy: peer, requestedAt: now,
            expiresAt: now + TimeInterval(window.components.seconds))
        requests.withLock { $0[id] = request }
        return request
    }

    /// The request `id` of `mode` as it is (expired or not), without taking it.
    func peek(_ id: String, mode: Mode) -> Request? {
        requests.withLock { $0[id] }.flatMap { $0.mode == mode ? $0 : nil }
    }

    /// The mode's requests that have not expired (expired ones are dropped).
    func waiting(in mode: Mode, at now: Date) -> [Request] {
        requests.withLock { all in
            all = all.filter { $0.value.expiresAt > now }
            return all.values.filter { $0.mode == mode }.sorted { $0.requestedAt < $1.requestedAt }
        }
    }

    /// Takes the request for approval by `approver`: it must exist in this mode, not have
    /// expired, and come from another uid (root is one operator, not two).
    func takeForApproval(_ id: String, mode: Mode, by approver: Peer, at now: Date) throws -> Request {
        try requests.withLock { all in
            let request = try Self.find(id, mode: mode, in: all)
            guard request.expiresAt > now else {
                all[id] = nil
                throw APIError(
                    code: .approvalExpired,
                    message: "the request \(id) (\(request.action)) expired at \(request.expiresAt.ISO8601Format())",
                    hint: "ask again: the operator repeats the action, and a second operator approves it in time")
            }
            guard request.requestedBy.uid != approver.uid else {
                throw APIError(
                    code: .approvalSameOperator,
                    message: "uid \(approver.uid) asked for \(request.action) itself: two-person control needs another operator",
                    hint: "another operator of \(mode) mode (another uid) approves it: keywardctl approve \(mode) \(id)")
            }
            all[id] = nil
            return request
        }
    }

    /// Removes a request (a rejection by any operator of the mode, the requester included).
    func remove(_ id: String, mode: Mode) throws -> Request {
        try requests.withLock { all in
            let request = try Self.find(id, mode: mode, in: all)
            all[id] = nil
            return request
        }
    }

    private static func find(_ id: String, mode: Mode, in all: [String: Request]) throws -> Request {
        guard let request = all[id], request.mode == mode else {
            throw APIError(
                code: .approvalNotFound, message: "\(mode) mode has no request \(id.prefix(16)) waiting for approval",
                hint: "keywardctl approvals \(mode) lists them; a request expires, and a restart drops them")
        }
        return request
    }
}
