import Foundation
import KeywardCrypto
import Testing

@Suite("secret memory")
struct SecretMemoryTests {
    @Test("secret pages are locked in RAM when the limit allows (reported, never fatal, when not)")
    func locked() throws {
        let secrets = try (0..<8).map { _ in try SecretBytes.random(count: 1200) }
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let lockedLine = status.split(separator: "\n").first { $0.hasPrefix("VmLck:") } ?? ""
        let kilobytes = Int(lockedLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        print("SecretBytes.memoryIsProtected=\(SecretBytes.memoryIsProtected); \(lockedLine)")
        if SecretBytes.memoryIsProtected {
            #expect(kilobytes >= 8 * 4, "8 secrets hold at least 8 locked pages")
        }
        #expect(secrets.allSatisfy { $0.count == 1200 })
    }
}
