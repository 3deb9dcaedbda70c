import Foundation
import KeywardCore
import KeywardTestSupport
import Testing

/// docs/openapi.yaml and the server agree: every documented operation is routed, and the
/// server's routes are all documented.
@Suite("the OpenAPI document matches the server")
struct OpenAPIContractTests {
    /// (method, path template) pairs from the `paths:` section, read line by line.
    static func documentedOperations() throws -> [(String, String)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.yaml")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        var operations: [(String, String)] = []
        var path: String?
        for line in lines {
            if line.hasPrefix("components:") { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let word = line.dropFirst(4).prefix { $0 != ":" }
                if ["get", "post", "put", "delete"].contains(String(word)) { operations.append((word.uppercased(), path)) }
            }
        }
        return operations
    }

    @Test("every documented operation reaches a route (never route.not-found or 405)")
    func documentedRoutesExist() throws {
        let operations = try Self.documentedOperations()
        #expect(operations.count >= 19)
        let daemon = try DaemonHarness()
        for (method, template) in operations {
            let path = template.replacingOccurrences(of: "{mode}", with: "test")
            let response = try daemon.request(method, path, body: method == "GET" ? nil : Array("{}".utf8))
            #expect(response.status != 405, "\(method) \(path) is documented but not allowed")
            #expect(!response.text.contains("route.not-found"), "\(method) \(path) is documented but not routed")
        }
    }

    @Test("the routes the server answers are documented")
    func serverRoutesDocumented() throws {
        let documented = Set(try Self.documentedOperations().map { "\($0.0) \($0.1)" })
        // Every route of the contract (KeywardAPI's Endpoints, which the daemon's route table
        // serves): a new route must be documented in docs/openapi.yaml.
        let served = Endpoints.all.map(\.description)
        for route in served {
            #expect(documented.contains(route), "\(route) is served but not in docs/openapi.yaml")
        }
        #expect(documented.count == served.count)
    }
}
