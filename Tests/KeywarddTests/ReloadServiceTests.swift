import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardServer
import KeywardSystemd
import KeywardTestSupport
import Logging
import Testing

@testable import keywardd

/// ReloadService driven by a sequence of triggers instead of SIGHUP.
@Suite("reload without signals")
struct ReloadServiceTests {
    @Test("each trigger re-reads the file: a new grant applies, a bad file keeps the previous configuration")
    func reloads() async throws {
        let fixture = try VaultFixture()
        let vault = try await fixture.open()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = try fixture.directory.write("keywardd.toml", "[mode.test]\nreaders = [\"uid:4100\"]\n")
        let initial = try DaemonConfiguration.load(path: configuration)
        let service = await KeywardService(
            vault: vault, settings: .init(access: initial.access, limits: initial.limits),
            stateDirectory: StateDirectory(fixture.directory.path), logger: logger)
        let reloads = ReloadService(source: .file(configuration), service: service, notifier: SystemdNotifier(), logger: logger)
        let reader = Peer(uid: 4100, gid: 4100, pid: 1, groups: [])
        let signer = Peer(uid: 4200, gid: 4200, pid: 1, groups: [])
        #expect(service.role(of: reader, in: .test) == .reader)
        #expect(service.role(of: signer, in: .test) == nil)

        try fixture.directory.write("keywardd.toml", "[mode.test]\nreaders = [\"uid:4100\"]\nsigners = [\"uid:4200\"]\n")
        let (triggers, trigger) = AsyncStream.makeStream(of: Void.self)
        trigger.yield()
        trigger.finish()
        await reloads.run(triggers: triggers)
        #expect(service.role(of: signer, in: .test) == .signer)

        try fixture.directory.write("keywardd.toml", "[mode.test]\nsigners = \"uid:4200\"\n")  // not an array
        #expect(await reloads.reload() == false)
        #expect(service.role(of: signer, in: .test) == .signer, "a bad file must keep the previous grants")
        #expect(service.role(of: reader, in: .test) == .reader)
    }
}
