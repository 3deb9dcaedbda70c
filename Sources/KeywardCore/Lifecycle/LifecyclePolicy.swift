public import Foundation

/// When a mode's key set comes due for rotation, and what Keyward does about it
/// (`[mode.X] rotate_after_days`, `warn_before_days`, `prepare_rotation`).
///
/// Defaults: a rotation every 365 days, warned 30 days ahead. Alipay does not expire keys,
/// so the period is the merchant's own cryptoperiod; a year is the common upper bound for
/// signing keys (NIST SP 800-57 Part 1 suggests one to three years for private signature
/// keys; PCI DSS asks each company to define one and keep to it), and 30 days leaves time for
/// a change window and the dashboard.
public struct LifecyclePolicy: Sendable, Equatable {
    /// How long after its commit a key set is due for rotation; nil: never.
    public var rotateAfter: TimeInterval?
    /// How long before the due date (and before a pending rotation expires) it is "due soon".
    public var warnBefore: TimeInterval
    /// Whether Keyward begins a rotation with a generated pair when the key set becomes due
    /// soon, so the operator's work is one paste and one `platform-key`.
    public var prepareRotation: Bool
    /// Certificate mode: how long before a certificate expires it is "due soon"
    /// (`certificate_warn_days`, 30).
    public var certificateWarnBefore: TimeInterval

    public init(
        rotateAfter: TimeInterval? = 365 * 86_400, warnBefore: TimeInterval = 30 * 86_400, prepareRotation: Bool = false,
        certificateWarnBefore: TimeInterval = 30 * 86_400
    ) {
        self.rotateAfter = rotateAfter
        self.warnBefore = warnBefore
        self.prepareRotation = prepareRotation
        self.certificateWarnBefore = certificateWarnBefore
    }
}

/// Both modes' lifecycle policies.
public struct LifecyclePolicies: Sendable, Equatable {
    public var test: LifecyclePolicy
    public var live: LifecyclePolicy

    public init(test: LifecyclePolicy = LifecyclePolicy(), live: LifecyclePolicy = LifecyclePolicy()) {
        self.test = test
        self.live = live
    }

    public subscript(mode: Mode) -> LifecyclePolicy {
        get { mode == .test ? test : live }
        set { if mode == .test { test = newValue } else { live = newValue } }
    }
}
