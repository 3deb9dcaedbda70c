import Foundation
import KeywardCore
import KeywardTestSupport
import Testing

/// The Vault actor suspends while its store saves. Changes that arrive meanwhile must wait
/// for that save, not start from the contents it is about to replace.
@Suite("concurrent changes to one vault")
struct VaultConcurrencyTests {
    @Test("changes applied at the same moment are all kept, each in its own generation")
    func concurrentChangesAreSerialized() async throws {
        let fixture = try VaultFixture()
        let start: UInt64
        do {
            let vault = try await fixture.open()
            start = await vault.generation
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await vault.apply(.setUp(TestKeys.account(.test)), to: .test, by: .currentProcess) }
                group.addTask { try await vault.apply(.setUp(TestKeys.account(.live)), to: .live, by: .currentProcess) }
                group.addTask {
                    try await vault.recordAccess(.connect, mode: nil, by: .currentProcess, outcome: .refused, detail: "probe")
                }
                try await group.waitForAll()
            }
            #expect(await vault.generation == start + 2)
        }
        let reopened = try await fixture.reopen()
        #expect(await reopened.contents.test.account != nil, "the test setup was lost")
        #expect(await reopened.contents.live.account != nil, "the live setup was lost")
        #expect(await reopened.generation == start + 2)
        #expect(try await reopened.verifyAudit() >= 4)
    }
}
