import Foundation

/// The `openssl` command as an independent reference: keys it makes, keys it reads,
/// signatures it makes and checks.
public struct OpenSSLReference: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Runs `openssl` in the directory; throws with its stderr if it fails.
    @discardableResult
    public func run(_ arguments: [String], input: [UInt8] = []) throws -> ProcessResult {
        let result = try ProcessRunner.run("openssl", arguments, input: input, directory: directory)
        guard result.status == 0 else {
            throw TestSupportError("openssl \(arguments.joined(separator: " ")) failed: \(result.standardError)")
        }
        return result
    }

    /// Runs `openssl` and reports only whether it succeeded.
    public func succeeds(_ arguments: [String], input: [UInt8] = []) throws -> Bool {
        try ProcessRunner.run("openssl", arguments, input: input, directory: directory).status == 0
    }

    /// Generates an RSA key as PKCS#8 PEM into `name`.
    public func generateRSA(_ name: String, bits: Int = 2048) throws {
        try run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)", "-out", name])
    }

    /// The SHA-256 of a key's SubjectPublicKeyInfo DER, as computed by openssl, in hex.
    public func spkiFingerprint(privateKey name: String) throws -> String {
        let der = try run(["pkey", "-in", name, "-pubout", "-outform", "DER"]).standardOutput
        let digest = try run(["dgst", "-sha256", "-r"], input: der).output
        return String(digest.prefix(64))
    }

    /// PEM text with the armour and line breaks removed: the dashboard's bare form.
    public static func bare(fromPEM pem: String) -> String {
        pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
    }
}
