// keyward-vault-torture: drives a real vault in its own process so that tests can kill it
// at random moments (SIGKILL) or starve its writes (RLIMIT_FSIZE).
//
//   keyward-vault-torture rotate STATE_DIR MASTER_KEY_FILE KEY_POOL_DIR
//       Rotates test mode forever: own keys → platform key → approval → commit. Version v uses
//       merchant-(v % N).der and platform-(v % N).pem from the pool. Prints "ready" once the
//       vault is open, and "committed v" after each commit returns.
//   keyward-vault-torture commit-limited STATE_DIR MASTER_KEY_FILE LIMIT_BYTES
//       Sets RLIMIT_FSIZE to LIMIT_BYTES and commits the pending rotation; prints the error
//       code and exits 3 when the commit fails, 0 when it succeeds.
import Foundation
import KeywardCore
import KeywardCrypto

@main
enum VaultTorture {
    static func main() async {
        let arguments = CommandLine.arguments
        do {
            switch arguments.count > 1 ? arguments[1] : "" {
            case "rotate" where arguments.count == 5:
                try await rotate(stateDirectory: arguments[2], masterKeyFile: arguments[3], poolDirectory: arguments[4])
            case "commit-limited" where arguments.count == 5:
                exit(try await commitLimited(stateDirectory: arguments[2], masterKeyFile: arguments[3], limit: Int(arguments[4]) ?? 0))
            default:
                FileHandle.standardError.write(Data("usage: see the top of Tests/VaultTortureHelper/main.swift\n".utf8))
                exit(2)
            }
        } catch {
            say("error \(error)")
            exit(1)
        }
    }

    static func open(_ stateDirectory: String, _ masterKeyFile: String) async throws -> Vault {
        guard let masterKey = try MasterKeyLoader.load(credentialsDirectory: nil, keyFile: masterKeyFile) else { exit(2) }
        return try await Vault.open(
            store: try FileVaultStore(directory: stateDirectory),
            unlock: .masterKey(masterKey),
            auditLogPath: "\(stateDirectory)/audit.log",
            create: true
        )
    }

    static func rotate(stateDirectory: String, masterKeyFile: String, poolDirectory: String) async throws {
        let pool = try KeyPool(directory: poolDirectory)
        let vault = try await open(stateDirectory, masterKeyFile)
        let actor = AuditActor.currentProcess
        // A previous run may have been killed with a rotation pending: start clean.
        if await vault.contents.test.pending != nil { try await vault.apply(.abort, to: .test, by: actor) }
        if await vault.contents.test.account == nil {
            let account = try MerchantAccount(pid: PID("2088101000000001"), appID: AppID("2021001000000001"))
            try await vault.apply(.setUp(account), to: .test, by: actor)
        }
        say("ready")
        while true {
            let version = await vault.contents.test.lastVersion + 1
            try await vault.apply(.beginOwnKeys(privateKey: pool.merchant(version), publicKey: nil), to: .test, by: actor)
            try await vault.apply(.providePlatformKey(pool.platform(version)), to: .test, by: actor)
            // As under two-person control: the approval is recorded, then the commit applied.
            // A kill between the two leaves an approval without its action (fail closed).
            try await vault.recordAccess(
                .approve, mode: .test, by: AuditActor(uid: 4104, gid: 4104, pid: 1), outcome: .ok,
                detail: "commit: request torture-\(version) of uid \(actor.uid), approved by uid 4104")
            try await vault.apply(.commit, to: .test, by: actor)
            say("committed \(version)")
        }
    }

    static func commitLimited(stateDirectory: String, masterKeyFile: String, limit: Int) async throws -> Int32 {
        let vault = try await open(stateDirectory, masterKeyFile)
        signal(SIGXFSZ, SIG_IGN)
        var limits = rlimit(rlim_cur: rlim_t(limit), rlim_max: rlim_t(limit))
        guard setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limits) == 0 else { return 2 }
        do {
            try await vault.apply(.commit, to: .test, by: .currentProcess)
            say("committed")
            return 0
        } catch let error as any ReportableError {
            say(error.code)
            return 3
        }
    }
}

/// The keys the rotations cycle through, read from PEM files the test wrote.
struct KeyPool {
    let merchants: [RSAPrivateKey]
    let platforms: [RSAPublicKey]

    init(directory: String) throws {
        var merchants: [RSAPrivateKey] = []
        var platforms: [RSAPublicKey] = []
        var index = 0
        // The pool is the test's own material: skip OpenSSL's slow consistency check.
        while FileManager.default.fileExists(atPath: "\(directory)/merchant-\(index).der") {
            merchants.append(try RSAPrivateKey(parsingTrustedDER: SecureFile.read("\(directory)/merchant-\(index).der")))
            platforms.append(try RSAPublicKey(parsing: SecureFile.read("\(directory)/platform-\(index).pem")))
            index += 1
        }
        self.merchants = merchants
        self.platforms = platforms
    }

    func merchant(_ version: Int) -> RSAPrivateKey { merchants[version % merchants.count] }
    func platform(_ version: Int) -> RSAPublicKey { platforms[version % platforms.count] }
}

/// Writes a line straight to standard output (unbuffered: the process may be killed next).
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}
