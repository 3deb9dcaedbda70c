import CKeywardOpenSSL
public import Foundation

/// Whether a certificate chains to a set of trust anchors at a given time, by OpenSSL's own
/// path validation (`X509_verify_cert`): the anchors are the only roots trusted (never the
/// system's), the certificates that came with the leaf are untrusted intermediates.
public enum CertificateChainCheck {
    /// Why a chain does not hold.
    public enum Failure: Sendable, Equatable, CustomStringConvertible {
        /// The certificate at `depth` (0: the leaf) expired at `notAfter`.
        case expired(depth: Int, notAfter: Date)
        /// The certificate at `depth` is valid only from `notBefore`.
        case notYetValid(depth: Int, notBefore: Date)
        /// No path to an anchor, or a bad signature on the way; OpenSSL's reason.
        case untrusted(reason: String)

        public var description: String {
            switch self {
            case .expired(let depth, let notAfter): "\(Self.name(depth)) expired at \(notAfter.ISO8601Format())"
            case .notYetValid(let depth, let notBefore): "\(Self.name(depth)) is valid only from \(notBefore.ISO8601Format())"
            case .untrusted(let reason): "it does not chain to the root certificates (\(reason))"
            }
        }

        private static func name(_ depth: Int) -> String { depth == 0 ? "it" : "its issuing certificate (depth \(depth))" }
    }

    /// Checks `leaf`, with `intermediates` as untrusted helpers, against `anchors` at `time`;
    /// nil when it holds.
    public static func check(_ leaf: X509Certificate, intermediates: [X509Certificate], anchors: [X509Certificate], at time: Date)
        -> Failure?
    {
        // Validity first, in the order an operator can act on: the leaf's own dates.
        if time > leaf.notAfter { return .expired(depth: 0, notAfter: leaf.notAfter) }
        if time < leaf.notBefore { return .notYetValid(depth: 0, notBefore: leaf.notBefore) }
        guard let store = X509_STORE_new() else { return .untrusted(reason: "OpenSSL could not make a store") }
        defer { X509_STORE_free(store) }
        for anchor in anchors where X509_STORE_add_cert(store, anchor.pointer) != 1 {
            ERR_clear_error()  // a duplicate anchor is harmless
        }
        guard let untrusted = CKeywardOpenSSL_certificateStack() else { return .untrusted(reason: "OpenSSL could not make a stack") }
        defer { CKeywardOpenSSL_certificateStackFree(untrusted) }
        for certificate in intermediates { _ = CKeywardOpenSSL_certificateStackPush(untrusted, certificate.pointer) }
        guard let context = X509_STORE_CTX_new() else { return .untrusted(reason: "OpenSSL could not make a context") }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, leaf.pointer, untrusted) == 1 else {
            return .untrusted(reason: OpenSSLErrorQueue.drain())
        }
        X509_STORE_CTX_set_time(context, 0, time_t(time.timeIntervalSince1970))
        let verified = X509_verify_cert(context)
        ERR_clear_error()
        guard verified != 1 else { return nil }
        let error = X509_STORE_CTX_get_error(context)
        let depth = Int(X509_STORE_CTX_get_error_depth(context))
        let failing = X509_STORE_CTX_get_current_cert(context).map { pointer -> X509Certificate in
            X509_up_ref(pointer)
            return X509Certificate(taking: pointer)
        }
        switch error {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return .expired(depth: depth, notAfter: failing?.notAfter ?? time)
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return .notYetValid(depth: depth, notBefore: failing?.notBefore ?? time)
        default:
            let reason = X509_verify_cert_error_string(Int(error)).map { String(cString: $0) } ?? "error \(error)"
            return .untrusted(reason: reason)
        }
    }
}
