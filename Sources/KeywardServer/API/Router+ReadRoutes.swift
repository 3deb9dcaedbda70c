import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto

extension Router {
    /// `GET /v1/keysets/{mode}/previous`: the set before the last commit, while the grace
    /// window is open (public keys only).
    func previousKeySet(_ call: RouteCall) async throws -> HTTPResponse {
        let snapshot = service.board.current(call.mode)
        guard snapshot.isServed, let previous = snapshot.previous(at: await service.now()) else {
            throw APIError(
                code: .keysetNoPrevious, message: "\(call.mode) mode has no previous key set in its grace window",
                hint: "the previous set is kept for the grace window after a commit")
        }
        return try reply(
            Endpoints.previousKeySet,
            PreviousKeySetAnswer(
                mode: call.mode, version: previous.keySet.version, graceEndsAt: previous.graceEndsAt,
                merchantPublicKey: PublicKeyForms(previous.keySet.merchantPublicKey),
                platformPublicKey: PublicKeyForms(previous.keySet.platformPublicKey)))
    }

    /// `GET /v1/health`: liveness and what each mode serves.
    func health() throws -> ImmediateAnswer {
        var modes: [Mode: HealthAnswer.ModeHealth] = [:]
        for mode in Mode.allCases {
            let snapshot = service.board.current(mode)
            modes[mode] = HealthAnswer.ModeHealth(served: snapshot.isServed, version: snapshot.current?.version)
        }
        return .response(
            try reply(
                Endpoints.health, HealthAnswer(status: service.degradation ?? "ok", modes: modes, warnings: service.lifecycleWarnings)))
    }

    /// `GET /metrics`: Prometheus text.
    func metrics(_ call: RouteCall) async throws -> HTTPResponse {
        // Per-mode series only for the modes the peer has a role in.
        let visible = modes(of: call.request.peer, atLeast: .reader)
        let shown = Mode.allCases.filter(visible.contains)
        var text = service.metrics.render()
        let contents = await service.contents()
        let now = await service.now()
        text += "# HELP keyward_keyset_version The current key version of each mode (0: none).\n# TYPE keyward_keyset_version gauge\n"
        for mode in shown { text += "keyward_keyset_version{mode=\"\(mode)\"} \(contents[mode].current?.version ?? 0)\n" }
        text += "# HELP keyward_keyset_age_seconds Time since the current set was committed.\n# TYPE keyward_keyset_age_seconds gauge\n"
        for mode in shown {
            if let current = contents[mode].current {
                text += "keyward_keyset_age_seconds{mode=\"\(mode)\"} \(Int(now.timeIntervalSince(current.committedAt)))\n"
            }
        }
        text += "# HELP keyward_rotation_pending Whether a rotation is pending (1) or not (0).\n# TYPE keyward_rotation_pending gauge\n"
        for mode in shown { text += "keyward_rotation_pending{mode=\"\(mode)\"} \(contents[mode].pending == nil ? 0 : 1)\n" }
        let lifecycle = LifecycleReport.compute(contents, policies: service.lifecyclePolicies, at: now)
        text +=
            "# HELP keyward_lifecycle_state The most urgent lifecycle state of each mode: 0 ok, 1 due-soon, 2 overdue, 3 expired.\n# TYPE keyward_lifecycle_state gauge\n"
        for mode in shown {
            let state = lifecycle[mode]?.state ?? .ok
            text += "keyward_lifecycle_state{mode=\"\(mode)\"} \(LifecycleState.allCases.firstIndex(of: state) ?? 0)\n"
        }
        text +=
            "# HELP keyward_rotation_due_timestamp_seconds When the current key set is due for rotation (Unix time).\n# TYPE keyward_rotation_due_timestamp_seconds gauge\n"
        for mode in shown {
            if let due = lifecycle[mode]?.items.first(where: { $0.kind == .keySet })?.dueAt {
                text += "keyward_rotation_due_timestamp_seconds{mode=\"\(mode)\"} \(Int(due.timeIntervalSince1970))\n"
            }
        }
        text +=
            "# HELP keyward_rotation_pending_expiry_timestamp_seconds When the pending rotation expires (Unix time).\n# TYPE keyward_rotation_pending_expiry_timestamp_seconds gauge\n"
        for mode in shown {
            if let expiry = contents[mode].pending?.expiresAt {
                text += "keyward_rotation_pending_expiry_timestamp_seconds{mode=\"\(mode)\"} \(Int(expiry.timeIntervalSince1970))\n"
            }
        }
        text +=
            "# HELP keyward_certificate_expiry_timestamp_seconds Certificate mode: when each certificate in use expires (Unix time).\n# TYPE keyward_certificate_expiry_timestamp_seconds gauge\n"
        for mode in shown {
            for certificate in contents[mode].current?.certificates.map(CertificateInfo.all) ?? [] {
                text +=
                    "keyward_certificate_expiry_timestamp_seconds{mode=\"\(mode)\",certificate=\"\(certificate.certificate)\",sn=\"\(certificate.sn)\"} \(Int(certificate.notAfter.timeIntervalSince1970))\n"
            }
        }
        text +=
            "# HELP keyward_backup_last_success_timestamp_seconds When the last backup was made (Unix time; 0: none).\n# TYPE keyward_backup_last_success_timestamp_seconds gauge\n"
        text += "keyward_backup_last_success_timestamp_seconds \(Int(service.lastBackupAt?.timeIntervalSince1970 ?? 0))\n"
        text += "# HELP keyward_watchers Watch requests waiting for the next commit.\n# TYPE keyward_watchers gauge\n"
        for mode in shown { text += "keyward_watchers{mode=\"\(mode)\"} \(service.board.watcherCount(mode))\n" }
        let wakes = service.metrics.wakes()
        text +=
            "# HELP keyward_watch_wake_seconds How long after each mode's latest publication the slowest watch it woke was answered (handed to its socket).\n# TYPE keyward_watch_wake_seconds gauge\n"
        for mode in shown { if let wake = wakes[mode] { text += "keyward_watch_wake_seconds{mode=\"\(mode)\"} \(wake.slowest)\n" } }
        text += "# HELP keyward_watch_woken How many watches each mode's latest publication woke.\n# TYPE keyward_watch_woken gauge\n"
        for mode in shown { if let wake = wakes[mode] { text += "keyward_watch_woken{mode=\"\(mode)\"} \(wake.watchers)\n" } }
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: Array(text.utf8))
    }
}
