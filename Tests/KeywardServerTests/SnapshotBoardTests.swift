import KeywardConfiguration
import KeywardCore
import KeywardServer
import Synchronization
import Testing

/// The board's watch API, which the server's long-polls park on.
@Suite("the snapshot board")
struct SnapshotBoardTests {
    private let access = AccessPolicy(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false), daemonUID: 0)

    private func board() -> SnapshotBoard {
        SnapshotBoard(contents: VaultContents(), access: access)
    }

    private func snapshot(_ mode: Mode, revision: Int) -> PublishedKeySet {
        PublishedKeySet(mode: mode, state: ModeState(revision: revision), exportPrivateKey: false)
    }

    /// Records every call of a watch handler.
    private final class Calls: Sendable {
        private let seen = Mutex<[Int?]>([])
        var revisions: [Int?] { seen.withLock { $0 } }
        func handler() -> SnapshotBoard.WatchHandler { { snapshot in self.seen.withLock { $0.append(snapshot?.revision) } } }
    }

    @Test("a publish calls each parked watch of its mode once, with the new snapshot; the other mode's watches stay")
    func publishWakesItsMode() throws {
        let board = board()
        let test = Calls()
        let live = Calls()
        #expect(board.watch(.test, after: 0, handler: test.handler()) != nil)
        #expect(board.watch(.test, after: 0, handler: test.handler()) != nil)
        let liveTicket = board.watch(.live, after: 0, handler: live.handler())
        #expect(board.watcherCount(.test) == 2)

        board.publish(snapshot(.test, revision: 1))
        board.publish(snapshot(.test, revision: 2))
        #expect(test.revisions == [1, 1])
        #expect(live.revisions == [])
        #expect(board.watcherCount(.test) == 0 && board.watcherCount(.live) == 1)

        let ticket = try #require(liveTicket)
        board.cancelWatch(ticket)
        board.cancelWatch(ticket)
        #expect(live.revisions == [nil], "a cancelled watch is answered once, with no change")
    }

    @Test("a watch behind the current revision is answered at once; an older publish is ignored")
    func staleWatchAndOlderPublish() {
        let board = board()
        board.publish(snapshot(.test, revision: 3))
        let calls = Calls()
        #expect(board.watch(.test, after: 1, handler: calls.handler()) == nil)
        #expect(calls.revisions == [3])

        #expect(board.watch(.test, after: 3, handler: calls.handler()) != nil)
        board.publish(snapshot(.test, revision: 2))
        #expect(board.current(.test).revision == 3)
        #expect(calls.revisions == [3], "an older snapshot wakes nobody")
    }

    @Test("releasing answers every parked watch with nil, and every later watch at once")
    func releaseAnswersAll() {
        let board = board()
        let calls = Calls()
        _ = board.watch(.test, after: 0, handler: calls.handler())
        _ = board.watch(.live, after: 0, handler: calls.handler())
        board.releaseAllWatchers()
        #expect(calls.revisions == [nil, nil])
        #expect(board.watch(.test, after: 0, handler: calls.handler()) == nil)
        #expect(calls.revisions == [nil, nil, nil])
    }

    @Test("next() returns the new snapshot, or nil when its timeout passes first, and leaves no watch behind")
    func nextTimesOut() async {
        let board = board()
        #expect(await board.next(.test, after: 0, timeout: .milliseconds(20)) == nil)
        #expect(board.watcherCount(.test) == 0)

        let waiting = Task { await board.next(.test, after: 0, timeout: .seconds(30)) }
        while board.watcherCount(.test) == 0 { await Task.yield() }
        board.publish(snapshot(.test, revision: 1))
        #expect(await waiting.value?.revision == 1)

        let cancelled = Task { await board.next(.test, after: 1, timeout: .seconds(30)) }
        while board.watcherCount(.test) == 0 { await Task.yield() }
        cancelled.cancel()
        #expect(await cancelled.value == nil)
        #expect(board.watcherCount(.test) == 0)
    }
}
