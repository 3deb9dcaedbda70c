import Foundation
import KeywardTestSupport
import Testing

/// keywardctl, which every operator runs and which reads keys, links no networking stack:
/// only keyward-store (the fleet's PostgreSQL helper) and keywardd link SwiftNIO.
@Suite("what keywardctl links")
struct LinkageTests {
    /// Whether the binary holds a Swift symbol of `module` (mangled as `<length><name>`).
    static func links(_ product: String, module: String) throws -> Bool {
        let binary = try Data(contentsOf: URL(fileURLWithPath: ProcessRunner.product(product)))
        return binary.range(of: Data("\(module.utf8.count)\(module)".utf8)) != nil
    }

    @Test("keywardctl has no SwiftNIO or PostgresNIO in it; keyward-store and keywardd do")
    func noNIOInKeywardctl() throws {
        for module in ["NIOCore", "NIOPosix", "PostgresNIO"] {
            #expect(try !Self.links("keywardctl", module: module), "keywardctl links \(module)")
        }
        // The check can see a linked module: the helper and the daemon have one.
        #expect(try Self.links("keyward-store", module: "PostgresNIO"))
        #expect(try Self.links("keywardd", module: "NIOCore"))
    }
}
