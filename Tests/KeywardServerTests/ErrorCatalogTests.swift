import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardServer
import Testing

/// The error catalogs and the docs' error tables say the same: every code is documented, and
/// the docs name no code that does not exist.
@Suite("error catalogs and the docs")
struct ErrorCatalogTests {
    /// Every catalog. A new domain's catalog goes here too.
    static let catalogs: [(name: String, codes: [any ErrorCode])] = [
        ("CryptoErrorCode", CryptoErrorCode.allCases), ("FileErrorCode", FileErrorCode.allCases),
        ("CredentialErrorCode", CredentialErrorCode.allCases),
        ("CertificateErrorCode", CertificateErrorCode.allCases), ("BackupErrorCode", BackupErrorCode.allCases),
        ("RotationErrorCode", RotationErrorCode.allCases),
        ("VaultErrorCode", VaultErrorCode.allCases), ("AuditErrorCode", AuditErrorCode.allCases),
        ("StoreErrorCode", StoreErrorCode.allCases), ("ConfigurationErrorCode", ConfigurationErrorCode.allCases),
        ("APIErrorCode", APIErrorCode.allCases), ("SocketErrorCode", SocketErrorCode.allCases),
        ("ClientErrorCode", ClientErrorCode.allCases),
    ]

    static let documents = ["docs/api.md", "docs/rotation.md", "docs/key-tool.md"]

    /// Backticked words in the docs that look like codes (a known prefix and a dot) but are
    /// not codes.
    static let notCodes: Set<String> = []

    static var allCodes: [String] { catalogs.flatMap { $0.codes.map(\.rawValue) } }

    /// Every backticked word of the three documents.
    static func documentedWords() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        var words: Set<String> = []
        for document in documents {
            let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
            for piece in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() where piece.offset % 2 == 1 {
                words.insert(String(piece.element))
            }
        }
        return words
    }

    @Test("no code is in two catalogs, and each has a status of its family")
    func codesAreUnique() {
        let codes = Self.allCodes
        #expect(Set(codes).count == codes.count, "a code is in two catalogs")
        for (name, catalog) in Self.catalogs {
            for code in catalog {
                if name == "ClientErrorCode" {
                    #expect(code.status == 0, "\(code) is keywardctl's own: never an HTTP answer")
                } else {
                    #expect([400, 403, 404, 405, 408, 409, 413, 422, 431, 500, 503].contains(code.status), "\(code): \(code.status)")
                }
            }
        }
    }

    @Test("every code of every catalog is in the docs' error tables")
    func everyCodeIsDocumented() throws {
        let words = try Self.documentedWords()
        let missing = Self.allCodes.filter { !words.contains($0) }
        #expect(missing.isEmpty, "not in \(Self.documents.joined(separator: ", ")): \(missing.joined(separator: ", "))")
    }

    @Test("the docs name no code that does not exist")
    func docsNameOnlyRealCodes() throws {
        let prefixes = Set(Self.allCodes.compactMap { $0.split(separator: ".").first.map(String.init) }.filter { $0 != $0.uppercased() })
        let known = Set(Self.allCodes)
        let named = try Self.documentedWords().filter { word in
            let parts = word.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, prefixes.contains(String(parts[0])), parts[1] != "*" else { return false }
            return parts[1].allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }
        }
        let unknown = named.subtracting(known).subtracting(Self.notCodes)
        #expect(unknown.isEmpty, "the docs name codes no catalog has: \(unknown.sorted().joined(separator: ", "))")
    }

    @Test("an answer carries its code's status, whatever the domain")
    func statusComesFromTheCatalog() {
        #expect(APIError(RotationError.code(.nonePending)).status == 404)
        #expect(APIError(RotationError.code(.pendingExists)).status == 409)
        #expect(APIError(StoreError.code(.conflict)).status == 409)
        #expect(APIError(StoreError.code(.unreachable)).status == 503)
        #expect(APIError(CryptoError.code(.keyTooSmall)).status == 422)
        #expect(APIError(VaultError.code(.noSpace)).status == 503)
        #expect(APIError(FileError.code(.notFound)).status == 400)
        struct Unknown: Error {}
        #expect(APIError(Unknown()).code == "internal")
        #expect(APIError(Unknown()).status == 500)
    }
}
