public import Atomics
public import Foundation
public import KeywardCore
import KeywardCrypto
public import NIOCore

/// What one mode serves, frozen at one revision: built after the vault saved a change and
/// never modified, so every field of a response comes from the same key set.
public final class PublishedKeySet: AtomicReference, Sendable {
    public let mode: Mode
    /// The mode's revision (bumped by every change to what it serves); the ETag.
    public let revision: Int
    /// Whether the mode is active and has a key set: otherwise readers get 404.
    public let isServed: Bool
    public let account: MerchantAccount?
    public let current: KeySet?
    public let previous: PreviousKeySet?
    /// The key-set document without private key, rendered once at publication (a
    /// `ByteBuffer`, so every read sends it without copying).
    public let publicDocument: ByteBuffer
    /// The 200 with the document that holds the private key, rendered once at publication when
    /// the mode's policy exports it, its head built then too. One buffer per revision, sent by
    /// every export of it: before, each export copied the document into a buffer of its own
    /// (docs/security.md, "Keys sent by the daemon").
    let exportResponse: HTTPResponse?
    /// The 200 with `publicDocument`, its keep-alive head built once (`HTTPResponse.prepared`).
    let publicResponse: HTTPResponse
    /// The 304 of this revision, its head built once.
    let notModifiedResponse: HTTPResponse

    /// When it was ready to publish, its documents rendered (the watch-wake metric measures
    /// from here).
    let publishedAt: ContinuousClock.Instant

    public init(mode: Mode, state: ModeState, exportPrivateKey: Bool) {
        self.mode = mode
        self.revision = state.revision
        self.isServed = state.isActive && state.current != nil
        self.account = state.account
        self.current = state.current
        self.previous = state.previous
        self.publicDocument = ByteBuffer(
            bytes: KeySetRendering.render(
                mode: mode, revision: state.revision, account: state.account, current: state.current, previous: state.previous,
                exportPrivateKey: false))
        self.publicResponse = HTTPResponse.json(200, publicDocument, headers: Self.headers(mode, state.revision)).prepared()
        self.notModifiedResponse = HTTPResponse(status: 304, headers: [("ETag", Self.etag(mode, state.revision))], body: []).prepared()
        if exportPrivateKey && state.current != nil {
            var document = KeySetRendering.render(
                mode: mode, revision: state.revision, account: state.account, current: state.current, previous: state.previous,
                exportPrivateKey: true)
            let body = ByteBuffer(bytes: document)
            document.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } }
            self.exportResponse = HTTPResponse.json(200, body, headers: Self.headers(mode, state.revision)).prepared()
        } else {
            self.exportResponse = nil
        }
        self.publishedAt = .now
    }

    /// The strong ETag of this revision.
    public var etag: String { Self.etag(mode, revision) }

    private static func etag(_ mode: Mode, _ revision: Int) -> String { "\"\(mode)-\(revision)\"" }

    /// The fields of a 200 with the document.
    static func headers(_ mode: Mode, _ revision: Int) -> [(String, String)] {
        [("ETag", etag(mode, revision)), ("Cache-Control", "no-store")]
    }

    /// The previous set while its grace window is open.
    public func previous(at now: Date) -> PreviousKeySet? {
        guard let previous, previous.isWithinGrace(at: now) else { return nil }
        return previous
    }
}
