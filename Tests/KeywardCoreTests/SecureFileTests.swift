import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

@Suite("secure files")
struct SecureFileTests {
    @Test("a created file has exactly the asked-for mode whatever the umask, and is never overwritten")
    func createExclusive() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("key")
        let old = umask(0)
        defer { umask(old) }
        try Array("first".utf8).withUnsafeBytes { try SecureFile.createExclusive(path, contents: $0, mode: 0o600) }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: FileError.code(.exists)) {
            try Array("second".utf8).withUnsafeBytes { try SecureFile.createExclusive(path, contents: $0, mode: 0o600) }
        }
        #expect(try directory.read("key") == Array("first".utf8))
    }

    @Test("reading a missing file, a directory or a file in a missing directory names the problem")
    func readErrors() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: FileError.code(.notFound)) { try SecureFile.read(directory.file("absent")) }
        #expect(throws: FileError.code(.isDirectory)) { try SecureFile.read(directory.path) }
        #expect(throws: FileError.code(.createFailed)) {
            try [1].withUnsafeBytes { try SecureFile.createExclusive(directory.file("no/such/dir"), contents: $0, mode: 0o600) }
        }
    }

    @Test("a file larger than a buffer is read whole")
    func largeRead() throws {
        let directory = try TemporaryDirectory()
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        let path = try directory.write("big", bytes)
        #expect(try SecureFile.read(path).withUnsafeBytes { Array($0) } == bytes)
    }
}
