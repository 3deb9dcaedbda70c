import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

@Suite("master keys")
struct MasterKeyTests {
    @Test("a master key file round-trips and is written with mode 0600")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let key = try MasterKey.generate()
        let path = directory.file("master.key")
        try MasterKeyLoader.write(key, to: path)
        let loaded = try #require(try MasterKeyLoader.load(credentialsDirectory: nil, keyFile: path))
        #expect(loaded.installID == key.installID)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect("\(loaded)".contains("redacted"))
    }

    @Test("a key file readable by group or others is refused with a chmod hint")
    func permissions() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("master.key")
        try MasterKeyLoader.write(try MasterKey.generate(), to: path)
        chmod(path, 0o640)
        #expect(throws: VaultError.code(.masterKeyPermissions)) {
            try MasterKeyLoader.load(credentialsDirectory: nil, keyFile: path)
        }
    }

    @Test("a key file owned by another user is refused", .enabled(if: getuid() == 0, "needs root to chown"))
    func owner() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("master.key")
        try MasterKeyLoader.write(try MasterKey.generate(), to: path)
        chown(path, 65534, 65534)
        #expect(throws: VaultError.code(.masterKeyOwner)) { try MasterKeyLoader.load(credentialsDirectory: nil, keyFile: path) }
    }

    @Test("the systemd credential is preferred over the key file")
    func credentialFirst() throws {
        let directory = try TemporaryDirectory()
        let credentialKey = try MasterKey.generate()
        let fileKey = try MasterKey.generate()
        try MasterKeyLoader.write(credentialKey, to: directory.file(MasterKeyLoader.credentialName))
        try MasterKeyLoader.write(fileKey, to: directory.file("master.key"))
        let loaded = try MasterKeyLoader.load(credentialsDirectory: directory.path, keyFile: directory.file("master.key"))
        #expect(loaded?.installID == credentialKey.installID)
    }

    @Test(
        "malformed key files are refused",
        arguments: ["", "hello", "keyward-master-key-v1 abc def", "keyward-master-key-v1 00112233445566778899aabbccddeeff AAAA"])
    func malformed(text: String) throws {
        let secret = Array(text.utf8).withUnsafeBytes { SecretBytes(copying: $0) }
        #expect(throws: VaultError.code(.masterKeyMalformed)) { try MasterKey(parsing: secret, source: "test") }
    }
}
