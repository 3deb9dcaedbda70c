import Foundation
import KeywardConfiguration
import KeywardCrypto
import KeywardTestSupport
import Testing

/// TOML as an operator naturally writes it: accepted, or refused with the line and a hint.
@Suite("keywardd.toml as operators write it")
struct TOMLFormsTests {
    private func parse(_ text: String) throws -> DaemonConfiguration {
        try DaemonConfiguration.parse(text, source: "keywardd.toml", daemonUID: 4321)
    }

    @Test("a grant list over several lines, with comments and a trailing comma")
    func multiLineArray() throws {
        let config = try parse(
            """
            [mode.live]
            signers = [
                "uid:1000",   # payments
                "gid:1001",
            ]
            readers = ["uid:1002",
                       "uid:1003"]
            [mode.test]
            operators = [ ]
            """)
        #expect(config.access.live.signers == [.user(1000), .group(1001)])
        #expect(config.access.live.readers == [.user(1002), .user(1003)])
        #expect(config.access.test.operators.isEmpty)
    }

    @Test(
        "TOML this file never needs is refused with the line and what to write instead",
        arguments: [
            ("[mode.live]\nsigners = [\n  \"uid:1\",\n", "line 2: the array of 'signers' is not closed"),
            (
                "[mode.live]\nsigners = [\n  \"uid:1\"\nreaders = []\n",
                "line 2: the array of 'signers' is not closed with ']' before line 4"
            ),
            ("[daemon]\nsocket = { path = \"/x\" }\n", "line 2: inline tables ({ … }) are not used"),
            ("[[daemon]]\n", "line 1: arrays of tables"),
            ("daemon.socket = \"/x\"\n", "line 1: 'daemon.socket' is a dotted key"),
            ("[limits]\nmax_wait_seconds = 1.5\n", "line 2: '1.5' is a fraction"),
            ("[daemon]\nsocket = \"\"\"/x\"\"\"\n", "line 2: multi-line strings are not used"),
            ("[mode.live]\nsigners = [1, 2]\n", "line 2: arrays here hold strings only"),
        ])
    func refused(text: String, expected: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted: \(text)")
        } catch let error as ConfigurationError {
            #expect(error.message.contains(expected), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }
}

/// The one key table against what the documented example file says.
@Suite("the configuration schema")
struct ConfigurationSchemaTests {
    @Test("every key of the schema is in etc/keyward/keywardd.toml (set or commented), and the example names no other key")
    func exampleMatchesSchema() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../etc/keyward/keywardd.toml")
        let text = try String(contentsOf: url, encoding: .utf8)
        var table = ""
        var documented: Set<String> = []
        for raw in text.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") && line.hasSuffix("]") {
                table = String(line.dropFirst().dropLast())
                continue
            }
            if line.hasPrefix("#") { line = String(line.dropFirst()).trimmingCharacters(in: .whitespaces) }
            // "key = value" lines, set or commented out; prose in comments has no " = ".
            guard let equals = line.range(of: " = ") else { continue }
            let key = String(line[..<equals.lowerBound])
            if key.allSatisfy({ $0.isLowercase || $0 == "_" }) { documented.insert("\(table).\(key)") }
        }
        let schema = Set(ConfigurationSchema.keys.map { "\($0.table).\($0.name)" })
        #expect(schema.subtracting(documented).isEmpty, "keys missing from the example: \(schema.subtracting(documented).sorted())")
        #expect(documented.subtracting(schema).isEmpty, "the example names unknown keys: \(documented.subtracting(schema).sorted())")
    }

    @Test("an unknown key's error lists the known keys of its table, from the schema")
    func unknownKeyLists() throws {
        do {
            _ = try DaemonConfiguration.parse("[limits]\nmax_bodyBytes = 1\n", source: "k", daemonUID: 1)
            Issue.record("accepted")
        } catch let error as ConfigurationError {
            let known = ConfigurationSchema.keys.filter { $0.table == "limits" }.map(\.name).sorted().joined(separator: ", ")
            #expect(error.message.contains("known keys: \(known)"), "\(error.message)")
        }
    }
}
