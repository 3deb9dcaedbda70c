import KeywardFleet
import ServiceLifecycle

/// In a fleet: adopts other nodes' commits as they are announced (or found by the poll),
/// until the daemon stops; then closes the store's connection.
struct FleetSyncService: Service {
    let listener: CommitListener
    let store: MirroredVaultStore

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await listener.run()
        }
        await store.remote.close()
    }
}
