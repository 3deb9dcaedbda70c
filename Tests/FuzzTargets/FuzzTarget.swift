/// The code Keyward exposes to untrusted bytes, each as a fuzz target: the same functions
/// run under libFuzzer (`scripts/fuzz`, the `keyward-fuzz` binary) and replay their seeds
/// and every saved finding in `FuzzRegressionTests`.
///
/// A target returns the broken invariants it saw (empty when all held). The fuzz binary
/// turns a non-empty answer into a crash, so libFuzzer keeps the input.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Raw bytes on a connection, through the server's own pipeline and the real router.
    case http
    /// The same bytes through Keyward's request reader and NIO's llhttp-based decoder.
    case httpdiff
    /// A JSON body for each route that takes one, as an operator.
    case json
    /// Private and public key input in every format Keyward accepts.
    case keys
    /// The vault file reader: header, key unwrap, and the decrypted body's parser.
    case vault
    /// Certificate files of certificate mode (PEM, DER, root files) and the three as one unit.
    case certificates
    /// A backup file, opened with its recovery key.
    case backup

    /// Builds what the target needs (a vault, a router) before the first input.
    public func prepare() throws {
        switch self {
        case .http, .json: _ = try FuzzRouter.shared()
        case .httpdiff: break
        case .keys: _ = try KeysFuzzTarget.seeds()
        case .vault: _ = try VaultFuzzTarget.fixture()
        case .certificates: _ = try CertificateFuzzTarget.fixture()
        case .backup: _ = try BackupFuzzTarget.fixture()
        }
    }

    /// Runs one input; returns the invariants it broke.
    public func run(_ input: [UInt8]) -> [String] {
        switch self {
        case .http: HTTPFuzzTarget.run(input)
        case .httpdiff: HTTPDifferentialFuzzTarget.run(input)
        case .json: HTTPFuzzTarget.runJSON(input)
        case .keys: KeysFuzzTarget.run(input)
        case .vault: VaultFuzzTarget.run(input)
        case .certificates: CertificateFuzzTarget.run(input)
        case .backup: BackupFuzzTarget.run(input)
        }
    }

    /// Valid inputs to start from.
    public func seeds() throws -> [[UInt8]] {
        switch self {
        case .http: HTTPFuzzTarget.seeds()
        case .httpdiff: HTTPDifferentialFuzzTarget.seeds()
        case .json: HTTPFuzzTarget.jsonSeeds()
        case .keys: try KeysFuzzTarget.seeds()
        case .vault: try VaultFuzzTarget.seeds()
        case .certificates: try CertificateFuzzTarget.seeds()
        case .backup: try BackupFuzzTarget.seeds()
        }
    }
}

extension FuzzTarget {
    /// The HTTP targets' check of what the server wrote back (exposed so a test can show it
    /// is not vacuous).
    public static func checkHTTP(_ written: [UInt8]) -> [String] { HTTPFuzzTarget.check(written) }

    /// What the server writes back to `input` in the HTTP target, as text.
    public static func httpExchange(_ input: String) throws -> String {
        String(decoding: try HTTPFuzzTarget.written(Array(input.utf8)), as: UTF8.self)
    }
}
