import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardFleet
import Logging
import Testing

@Suite("the fleet store's connector")
struct PostgresConnectorTests {
    @Test("printing, debug-printing or dumping a connector never shows the password")
    func passwordIsRedacted() throws {
        let url = try PostgresURL(parsing: "postgresql://keyward@db.example.com/keyward")
        let connector = PostgresConnector(url: url, password: "hunter2-store-password", logger: Logger(label: "test"))
        var dumped = ""
        dump(connector, to: &dumped)
        for text in ["\(connector)", String(reflecting: connector), dumped] {
            #expect(!text.contains("hunter2"), "\(text)")
            #expect(text.contains("db.example.com"))
        }
    }

    @Test("an unreachable store is store.unreachable, with what to do")
    func unreachable() async throws {
        let url = try PostgresURL(parsing: "postgresql://keyward@/keyward?host=/nonexistent-keyward-socket-dir")
        let connector = PostgresConnector(url: url, password: nil, logger: Logger(label: "test"))
        await #expect(throws: StoreError(code: .unreachable, message: "", hint: "")) {
            _ = try await connector.connect()
        }
    }
}
