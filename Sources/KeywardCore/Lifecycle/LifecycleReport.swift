public import Foundation
import KeywardCrypto

/// What is due in each mode: a pure function of the vault contents, the policies and the
/// clock, so every boundary is tested on the manual clock.
public enum LifecycleReport {
    /// A pending rotation is "due soon" this long before it expires, or sooner when the
    /// mode's warning window is shorter.
    public static let pendingWarning: TimeInterval = 24 * 3600

    /// Each mode's lifecycle. A mode without a key set or a pending rotation has no items.
    public static func compute(_ contents: VaultContents, policies: LifecyclePolicies, at now: Date) -> [Mode: ModeLifecycle] {
        var report: [Mode: ModeLifecycle] = [:]
        for mode in Mode.allCases {
            report[mode] = ModeLifecycle(items: items(contents[mode], mode: mode, policy: policies[mode], at: now))
        }
        return report
    }

    /// The items of one mode, key set first.
    public static func items(_ state: ModeState, mode: Mode, policy: LifecyclePolicy, at now: Date) -> [LifecycleItem] {
        var items: [LifecycleItem] = []
        if let current = state.current { items.append(keySetItem(current, pending: state.pending, mode: mode, policy: policy, at: now)) }
        if let pending = state.pending { items.append(pendingItem(pending, mode: mode, policy: policy, at: now)) }
        if let current = state.current, let certificates = current.certificates {
            items += certificateItems(certificates, version: current.version, mode: mode, policy: policy, at: now)
        }
        return items
    }

    /// Certificate mode: the app certificate, the newest Alipay certificate (an older one is
    /// expected to run out after a renewal) and the root file's earliest RSA certificate.
    public static func certificateItems(
        _ certificates: PlatformCertificates, version: Int, mode: Mode, policy: LifecyclePolicy, at now: Date
    ) -> [LifecycleItem] {
        let roots = certificates.root.filter(\.countsForAlipayRootSN)
        let root = roots.min { $0.notAfter < $1.notAfter } ?? certificates.root[0]
        let checked: [(LifecycleKind, String, X509Certificate, String)] = [
            (
                .appCertificate, "app certificate", certificates.app.leaf,
                "renew it on the dashboard (a new CSR: keywardctl rotate \(mode) --generate, keywardctl csr \(mode)), then rotate with the new files"
            ),
            (
                .alipayCertificate, "Alipay certificate", certificates.newestAlipay.leaf,
                "download Alipay's renewed certificate and add it: keywardctl alipay-cert \(mode) --alipay-cert alipayCertPublicKey_RSA2.crt"
            ),
            (
                .rootCertificate, "Alipay root certificate", root,
                "download the current alipayRootCert.crt from the dashboard and rotate with it"
            ),
        ]
        return checked.map { kind, name, certificate, remedy in
            let what = "\(mode) v\(version)'s \(name) (SN \(certificate.alipaySN))"
            let state: LifecycleState
            let message: String
            if now >= certificate.notAfter {
                state = .expired
                message = "\(what) expired on \(day(certificate.notAfter)); requests signed with it fail"
            } else if now >= certificate.notAfter - policy.certificateWarnBefore {
                state = .dueSoon
                message = "\(what) expires on \(day(certificate.notAfter)) (in \(days(certificate.notAfter.timeIntervalSince(now))))"
            } else {
                state = .ok
                message = "\(what) is valid until \(day(certificate.notAfter))"
            }
            return LifecycleItem(
                mode: mode, kind: kind, state: state, version: version, since: certificate.notBefore, dueAt: certificate.notAfter,
                message: message, next: state == .ok ? "nothing yet" : remedy)
        }
    }

    public static func keySetItem(_ keySet: KeySet, pending: PendingRotation?, mode: Mode, policy: LifecyclePolicy, at now: Date)
        -> LifecycleItem
    {
        let age = days(now.timeIntervalSince(keySet.committedAt))
        let name = "\(mode) v\(keySet.version)"
        guard let rotateAfter = policy.rotateAfter else {
            return LifecycleItem(
                mode: mode, kind: .keySet, state: .ok, version: keySet.version, since: keySet.committedAt, dueAt: nil,
                message: "\(name) is \(age) old; no rotation period is set", next: "nothing")
        }
        let dueAt = keySet.committedAt + rotateAfter
        let state: LifecycleState
        let message: String
        if now >= dueAt {
            state = .overdue
            message = "\(name) is overdue for rotation since \(day(dueAt)) (\(days(now.timeIntervalSince(dueAt))) ago; \(age) old)"
        } else if now >= dueAt - policy.warnBefore {
            state = .dueSoon
            message = "\(name) is due for rotation on \(day(dueAt)) (in \(days(dueAt.timeIntervalSince(now))))"
        } else {
            state = .ok
            message = "\(name) is \(age) old; rotation due \(day(dueAt))"
        }
        let next: String
        if state == .ok {
            next = "nothing yet"
        } else if let pending, pending.state(at: now) == .awaitingPlatformKey {
            next =
                "paste this public key into the dashboard: \(pending.merchantPrivateKey.publicKey.bareBase64) — then keywardctl platform-key \(mode) --platform-key FILE and keywardctl commit \(mode)"
        } else if let pending, pending.state(at: now) == .ready {
            next = "keywardctl commit \(mode): the pending rotation is ready"
        } else if pending != nil {
            next = "keywardctl abort \(mode): the pending rotation expired; then begin a new one"
        } else {
            next = "keywardctl rotate \(mode) --generate (or --own-keys, --one-click), then platform-key and commit"
        }
        return LifecycleItem(
            mode: mode, kind: .keySet, state: state, version: keySet.version, since: keySet.committedAt, dueAt: dueAt, message: message,
            next: next)
    }

    public static func pendingItem(_ pending: PendingRotation, mode: Mode, policy: LifecyclePolicy, at now: Date) -> LifecycleItem {
        let warning = min(pendingWarning, policy.warnBefore)
        let state: LifecycleState
        let message: String
        let next: String
        let step =
            pending.state(at: now) == .ready
            ? "commit it: keywardctl commit \(mode)" : "give it the platform key: keywardctl platform-key \(mode) --platform-key FILE"
        if now >= pending.expiresAt {
            state = .expired
            message = "the pending \(mode) rotation expired on \(day(pending.expiresAt)); it can no longer be committed"
            next = "keywardctl abort \(mode), then begin a new rotation"
        } else if now >= pending.expiresAt - warning {
            state = .dueSoon
            message =
                "the pending \(mode) rotation expires \(day(pending.expiresAt)) (in \(hours(pending.expiresAt.timeIntervalSince(now))))"
            next = step
        } else {
            state = .ok
            message = "the pending \(mode) rotation (\(pending.state(at: now))) expires \(day(pending.expiresAt))"
            next = step
        }
        return LifecycleItem(
            mode: mode, kind: .pendingRotation, state: state, version: nil, since: pending.startedAt, dueAt: pending.expiresAt,
            message: message, next: next)
    }

    /// A span as a person says it: "40 days", "1 day", "5 hours", "less than an hour".
    private static func days(_ interval: TimeInterval) -> String {
        let days = Int(max(0, interval) / 86_400)
        if days >= 1 { return days == 1 ? "1 day" : "\(days) days" }
        return hours(interval)
    }

    private static func hours(_ interval: TimeInterval) -> String {
        let count = Int(max(0, interval) / 3600)
        if count < 1 { return "less than an hour" }
        return count == 1 ? "1 hour" : "\(count) hours"
    }

    /// A date as operators read it in logs: ISO 8601, UTC.
    private static func day(_ date: Date) -> String { date.ISO8601Format() }
}
