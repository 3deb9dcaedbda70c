import Foundation
import KeywardTestSupport
import Testing

/// The unit files in systemd/ as systemd itself reads them.
@Suite("systemd unit files")
struct SystemdUnitTests {
    static let unitDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../systemd")
        .standardized.path

    /// The units in a temp directory, with ExecStart pointing at the built keywardd (verify
    /// checks that the command exists).
    private func stagedUnits() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "keyward-units")
        let service = try String(contentsOfFile: "\(Self.unitDirectory)/keywardd.service", encoding: .utf8)
            .replacingOccurrences(of: "/usr/bin/keywardd", with: ProcessRunner.product("keywardd"))
        try directory.write("keywardd.service", service)
        try directory.write("keywardd.socket", try String(contentsOfFile: "\(Self.unitDirectory)/keywardd.socket", encoding: .utf8))
        let backup = try String(contentsOfFile: "\(Self.unitDirectory)/keyward-backup.service", encoding: .utf8)
            .replacingOccurrences(of: "/usr/bin/keywardctl", with: ProcessRunner.product("keywardctl"))
        try directory.write("keyward-backup.service", backup)
        try directory.write(
            "keyward-backup.timer", try String(contentsOfFile: "\(Self.unitDirectory)/keyward-backup.timer", encoding: .utf8))
        return directory
    }

    @Test("systemd-analyze verify finds nothing to say about the service, the socket and the backup service and timer")
    func verify() throws {
        let units = try stagedUnits()
        let result = try ProcessRunner.run(
            "systemd-analyze",
            [
                "verify", "--man=no", units.file("keywardd.service"), units.file("keywardd.socket"), units.file("keyward-backup.service"),
                units.file("keyward-backup.timer"),
            ])
        #expect(result.status == 0)
        // verify exits 0 on warnings: any output at all is a finding.
        #expect(result.standardError.isEmpty, "\(result.standardError)")
    }

    /// 0.6 is the figure of the unit as shipped (0.5 before 0.3, which traded ProtectProc=invisible
    /// for the peer's systemd unit in the audit log); a change that weakens the hardening fails here.
    @Test("the service's exposure (systemd-analyze security --offline) is 0.6 or lower")
    func exposure() throws {
        let units = try stagedUnits()
        let result = try ProcessRunner.run("systemd-analyze", ["security", "--offline=true", "--no-pager", units.file("keywardd.service")])
        let line = (result.output + result.standardError).split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        print("systemd-analyze security: \(line.trimmingCharacters(in: .whitespaces))")
        let score = line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        let value = try #require(score, "no exposure score in: \(result.output)")
        #expect(value <= 0.6)
    }

    /// Under PrivateUsers=yes every peer but root and keyward reaches keywardd as uid 65534, so
    /// no [mode.*] grant can match a payment service (the real-systemd scenario shows it live).
    @Test("the service keeps its peers' real uids and groups: no PrivateUsers=, no user namespace")
    func peersKeepTheirIdentity() throws {
        let units = try stagedUnits()
        let result = try ProcessRunner.run("systemd-analyze", ["security", "--offline=true", "--no-pager", units.file("keywardd.service")])
        let line = result.output.split(separator: "\n").first { $0.contains("PrivateUsers=") }
        let finding = try #require(line, "systemd-analyze security lists no PrivateUsers= line: \(result.output)")
        #expect(finding.hasPrefix("✗"), "PrivateUsers= is on: \(finding)")
        let service = try String(contentsOfFile: units.file("keywardd.service"), encoding: .utf8)
        let settings = service.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(!settings.contains { $0.hasPrefix("PrivateUsers=") || $0.hasPrefix("DynamicUser=") })
        #expect(settings.contains("PrivateMounts=yes"))
    }
}

/// `make install` (scripts/install) into a DESTDIR.
@Suite("installation")
struct InstallTests {
    @Test("scripts/install puts binaries, units, configuration, docs and completions in FHS places, and never replaces the configuration")
    func install() throws {
        let destination = try TemporaryDirectory(prefix: "keyward-destdir")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/install")
            .standardized.path
        let first = try ProcessRunner.run("bash", [script, destination.path, "/usr", ProcessRunner.productsDirectory])
        #expect(first.status == 0, "\(first.standardError)")
        for path in [
            "usr/bin/keywardd", "usr/bin/keywardctl", "usr/libexec/keyward/keyward-store", "usr/lib/systemd/system/keywardd.service",
            "usr/lib/systemd/system/keywardd.socket", "usr/lib/systemd/system/keyward-backup.service",
            "usr/lib/systemd/system/keyward-backup.timer",
            "usr/lib/sysusers.d/keyward.conf", "usr/lib/tmpfiles.d/keyward.conf", "etc/keyward/keywardd.toml",
            "usr/share/doc/keyward/api.md", "usr/share/bash-completion/completions/keywardctl",
            "usr/share/zsh/vendor-completions/_keywardctl", "usr/share/fish/vendor_completions.d/keywardctl.fish",
        ] {
            #expect(FileManager.default.fileExists(atPath: destination.file(path)), "\(path) is missing")
        }
        // The installed keywardctl finds the installed helper (../libexec/keyward from its bin).
        let store = try ProcessRunner.run(destination.file("usr/bin/keywardctl"), ["store", "--help"])
        #expect(store.status == 0 && store.output.contains("keyward-store"), "\(store.output) \(store.standardError)")
        try destination.write("etc/keyward/keywardd.toml", "# the operator's own\n")
        let second = try ProcessRunner.run("bash", [script, destination.path, "/usr", ProcessRunner.productsDirectory])
        #expect(second.status == 0)
        #expect(try destination.read("etc/keyward/keywardd.toml") == Array("# the operator's own\n".utf8))
    }
}
