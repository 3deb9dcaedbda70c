import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

@Suite("the audit log")
struct AuditLogTests {
    private func populated() async throws -> (VaultFixture, Vault) {
        let fixture = try VaultFixture()
        let vault = try await fixture.open()
        let operatorPeer = AuditActor(uid: 1000, gid: 1000, pid: 4242)
        try await vault.apply(.setUp(TestKeys.account()), to: .test, by: operatorPeer)
        try await vault.apply(
            .beginOneClick(privateKey: TestKeys.key(60), platformKey: TestKeys.key(61).publicKey), to: .test, by: operatorPeer)
        try await vault.apply(.commit, to: .test, by: operatorPeer)
        try await vault.recordAccess(
            .exportPrivateKey, mode: .test, by: AuditActor(uid: 33, gid: 33, pid: 77), outcome: .ok, detail: "v1")
        try await vault.apply(.activate, to: .test, by: operatorPeer)
        return (fixture, vault)
    }

    private func lines(_ fixture: VaultFixture) throws -> [String] {
        String(decoding: try fixture.directory.read("audit.log"), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private func write(_ fixture: VaultFixture, _ lines: [String]) throws {
        try fixture.directory.write("audit.log", lines.map { $0 + "\n" }.joined())
    }

    @Test("every transition and every export is recorded with actor, mode, versions and fingerprints, chained")
    func recorded() async throws {
        let (fixture, vault) = try await populated()
        defer { withExtendedLifetime(fixture) {} }
        let entries = try await vault.auditLines().map { try $0.entry() }
        #expect(entries.map(\.action) == ["create", "setup", "begin-dashboard-one-click", "commit", "export-private-key", "activate"])
        #expect(entries.map(\.sequence) == Array(1...6))
        let commit = entries[3]
        #expect(commit.actor == AuditActor(uid: 1000, gid: 1000, pid: 4242))
        #expect(commit.mode == .test)
        #expect(commit.record.toVersion == 1)
        #expect(commit.record.merchantKeyFingerprint == (try TestKeys.key(60)).publicKey.fingerprint.hex)
        #expect(commit.record.platformKeyFingerprint == (try TestKeys.key(61)).publicKey.fingerprint.hex)
        #expect(entries[4].actor.uid == 33)
        #expect(try await vault.verifyAudit() == 6)
    }

    @Test("an altered, removed or reordered entry is detected")
    func tampering() async throws {
        let (fixture, vault) = try await populated()
        let original = try lines(fixture)

        try write(
            fixture,
            original.enumerated().map {
                $0.offset == 2 ? $0.element.replacingOccurrences(of: "\"uid\":1000", with: "\"uid\":1001") : $0.element
            })
        await #expect(throws: AuditError.code(.chainBroken)) { try await vault.verifyAudit() }

        var removed = original
        removed.remove(at: 2)
        try write(fixture, removed)
        await #expect(throws: AuditError.code(.chainBroken)) { try await vault.verifyAudit() }

        var reordered = original
        reordered.swapAt(1, 2)
        try write(fixture, reordered)
        await #expect(throws: AuditError.code(.chainBroken)) { try await vault.verifyAudit() }

        try write(fixture, original)
        #expect(try await vault.verifyAudit() == 6)
    }

    /// A populated fixture whose vault is closed again (its lock released).
    private func closedFixture() async throws -> VaultFixture {
        let (fixture, vault) = try await populated()
        _ = await vault.generation
        return fixture
    }

    @Test("an entry lost by a crash between the vault save and the log append is written back on the next open")
    func crashRecovery() async throws {
        let fixture = try await closedFixture()
        var original = try lines(fixture)
        let last = original.removeLast()
        try write(fixture, original)
        let reopened = try await fixture.reopen()
        #expect(try lines(fixture).last == last)
        #expect(try await reopened.verifyAudit() == 6)
    }

    @Test("a log cut back further than the vault's last entry is refused on open")
    func divergedLog() async throws {
        let fixture = try await closedFixture()
        let original = try lines(fixture)
        try write(fixture, Array(original.prefix(3)))
        await #expect(throws: AuditError.code(.diverged)) { try await fixture.reopen() }
    }

    @Test("dropping entries from the end, or rewriting one and re-chaining the rest, fails the check: the vault sealed the last entry")
    func sealedLastEntry() async throws {
        let (fixture, vault) = try await populated()
        #expect(try await vault.checkAudit() == AuditCheck(valid: true, entries: 6, problem: nil))
        let original = try lines(fixture)

        try write(fixture, Array(original.dropLast(3)))
        let truncated = try await vault.checkAudit()
        #expect(!truncated.valid && truncated.entries == 3, "the chain of the first 3 entries is whole, but the end is gone")
        #expect(truncated.problem?.contains("lacks the vault's sealed last entry #6") == true, "\(truncated.problem ?? "")")

        // Entry #2's uid changed to 4242 and every later previousHash recomputed: a whole chain.
        var entries = try original.map { try AuditLine(text: $0).entry() }
        #expect(entries.allSatisfy { $0.mac?.count == 64 }, "every entry of a vault's log carries a MAC")
        entries[1] = AuditEntry(
            sequence: entries[1].sequence, time: entries[1].time, actor: AuditActor(uid: 4242, gid: 4242, pid: 1),
            action: entries[1].action,
            mode: entries[1].mode, outcome: entries[1].outcome, record: entries[1].record, previousHash: entries[1].previousHash)
        var rewritten: [String] = []
        var previous = AuditEntry.genesisHash
        for entry in entries {
            let chained = AuditEntry(
                sequence: entry.sequence, time: entry.time, actor: entry.actor, action: entry.action, mode: entry.mode,
                outcome: entry.outcome,
                record: entry.record, previousHash: previous)
            let line = try AuditLine(chained)
            rewritten.append(line.text)
            previous = line.hash
        }
        try write(fixture, rewritten)
        // The rewrite dropped the MACs (it cannot make new ones without the vault's key): the
        // chain alone looks whole, as a log of 0.1.0 would; the seal does not.
        #expect(try await vault.verifyAudit() == 6)
        let check = try await vault.checkAudit()
        #expect(!check.valid && check.problem?.contains("sealed last entry") == true)

        // Kept MACs do not fit the changed entry: the MAC check names it, with or without the seal.
        var keptMACs: [String] = []
        previous = AuditEntry.genesisHash
        for (index, entry) in entries.enumerated() {
            let written = try AuditLine(text: original[index]).entry()
            let chained = AuditEntry(
                sequence: entry.sequence, time: entry.time, actor: entry.actor, action: entry.action, mode: entry.mode,
                outcome: entry.outcome,
                record: entry.record, previousHash: previous, mac: written.mac)
            let line = try AuditLine(chained)
            keptMACs.append(line.text)
            previous = line.hash
        }
        try write(fixture, keptMACs)
        await #expect(throws: AuditError.code(.chainBroken)) { try await vault.verifyAudit() }
        let macCheck = try await vault.checkAudit()
        #expect(!macCheck.valid && macCheck.problem?.contains("entry #2) has a MAC that does not fit") == true, "\(macCheck.problem ?? "")")

        try write(fixture, original)
        #expect(try await vault.checkAudit().valid)
    }

    @Test("a log of another install, a duplicated entry or two swapped entries fail the check")
    func foreignDuplicatedReordered() async throws {
        let (fixture, vault) = try await populated()
        let (other, _) = try await populated()
        let original = try lines(fixture)
        try fixture.directory.write("audit.log", try other.directory.read("audit.log"))
        let foreign = try await vault.checkAudit()
        #expect(!foreign.valid && foreign.problem?.contains("MAC") == true, "\(foreign.problem ?? "")")

        try write(fixture, Array(original.prefix(3)) + [original[2]] + Array(original.dropFirst(3)))
        #expect(!(try await vault.checkAudit().valid), "a duplicated entry")
        var swapped = original
        swapped.swapAt(2, 3)
        try write(fixture, swapped)
        #expect(!(try await vault.checkAudit().valid), "two swapped entries")
        try write(fixture, original)
        #expect(try await vault.checkAudit().valid)
    }
}
