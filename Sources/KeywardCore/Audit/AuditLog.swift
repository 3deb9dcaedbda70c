public import Foundation
import Glibc
import KeywardCrypto

/// The append-only, hash-chained audit log: one JSON line per entry in a file.
///
/// Appends are fsynced. `verify()` detects an altered, removed or reordered entry anywhere
/// in the chain. Not thread-safe: the `Vault` actor owns the only instance.
// Sendable by discipline: the vault that owns it calls it one operation at a time
// (`Vault.oneAtATime`), appends included, also when they run on the disk thread (DiskIO).
public final class AuditLog: @unchecked Sendable {
    public let path: String
    private var tail: (sequence: Int, hash: String)?
    /// The key of the entries' MACs (derived from the vault's data key); nil: entries are
    /// written and checked without MACs (a log read without its vault).
    var macKey: SecretBytes?

    /// The MAC key of a vault's audit log: HKDF-SHA256 of its data key, with its own label.
    static func macKey(dataKey: SecretBytes) throws -> SecretBytes {
        try KeyDerivation.hkdfSHA256(key: dataKey, salt: [], info: Array("keyward audit log mac v1".utf8), outputByteCount: 32)
    }

    /// The MAC an entry carries: over its line written without one.
    static func mac(of entry: AuditEntry, key: SecretBytes) throws -> String {
        Hex.encode(HMACSHA256.authenticate(Array(try AuditLine(entry.with(mac: nil)).text.utf8), key: key))
    }

    public init(path: String) {
        self.path = path
    }

    /// Every line in the file, in order; empty when there is no file yet.
    public func lines() throws -> [AuditLine] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let bytes = try SecureFile.read(path).withUnsafeBytes { Array($0) }
        return bytes.split(separator: UInt8(ascii: "\n")).map { AuditLine(text: String(decoding: $0, as: UTF8.self)) }
    }

    /// Builds the next entry, chained to the current last line.
    public func nextEntry(
        time: Date,
        actor: AuditActor,
        action: String,
        mode: Mode?,
        outcome: String = "ok",
        record: TransitionRecord
    ) throws -> AuditLine {
        let (sequence, hash) = try currentTail()
        let entry = AuditEntry(
            sequence: sequence + 1, time: time, actor: actor, action: action, mode: mode, outcome: outcome, record: record,
            previousHash: hash)
        guard let macKey else { return try AuditLine(entry) }
        return try AuditLine(entry.with(mac: try Self.mac(of: entry, key: macKey)))
    }

    /// Appends `line` and fsyncs; the line must have been made by `nextEntry` on this log.
    public func append(_ line: AuditLine) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw AuditError(
                code: .writeFailed,
                message: "cannot open the audit log \(path): \(String(cString: strerror(errno)))",
                hint: "check the state directory's permissions and free space"
            )
        }
        defer { close(fd) }
        do {
            try Array((line.text + "\n").utf8).withUnsafeBytes { try SecureFile.writeAll(fd: fd, $0, name: path) }
            guard fsync(fd) == 0 else { throw SecureFile.writeFailure(path, errno: errno) }
        } catch let error as FileError {
            throw AuditError(code: .writeFailed, message: error.message, hint: error.hint)
        }
        tail = (try line.entry().sequence, line.hash)
    }

    /// Makes sure `expected` (the vault's record of the last transition) is in the log: if a
    /// crash came between the vault write and the append, the entry is appended now.
    /// Returns true if it had to be appended.
    @discardableResult
    public func reconcile(with expected: AuditLine?, othersMayWrite: Bool = false) throws -> Bool {
        try cutTornTail()
        guard let expected else { return false }
        let all = try lines()
        if all.contains(expected) { return false }
        let (_, hash) = try currentTail()
        let continuesThisLog = try expected.entry().previousHash == hash
        // Another node's entry (a shared store): it belongs to that node's log, not this one.
        if !continuesThisLog && othersMayWrite { return false }
        guard continuesThisLog else {
            throw AuditError(
                code: .diverged,
                message:
                    "the audit log does not contain the vault's last recorded entry and cannot be completed: it was truncated or replaced",
                hint:
                    "inspect it offline with keywardctl audit --verify --state-directory DIR --master-key-file FILE (the daemon cannot start on it), then restore the log from backup"
            )
        }
        try append(expected)
        return true
    }

    /// Checks the chain and that the log still holds `sealed`, the last entry the vault
    /// recorded (unless `sealedElsewhere`: another node's entry in a shared store, or one
    /// still waiting to be written): a log cut short at its end fails here, where the chain
    /// alone would look whole.
    public func check(sealed: AuditLine?, sealedElsewhere: Bool) throws -> AuditCheck {
        let entries: Int
        do {
            entries = try verify()
        } catch let error as AuditError where error.kind == .chainBroken {
            return AuditCheck(valid: false, entries: nil, problem: error.message)
        }
        guard let sealed, !sealedElsewhere else { return AuditCheck(valid: true, entries: entries, problem: nil) }
        let all = try lines()
        guard all.contains(sealed) else {
            let sealedSequence = (try? sealed.entry().sequence).map { "#\($0)" } ?? "its last entry"
            return AuditCheck(
                valid: false, entries: entries,
                problem:
                    "the log has \(entries) entries but lacks the vault's sealed last entry \(sealedSequence): entries were removed from its end, or it was replaced"
            )
        }
        return AuditCheck(valid: true, entries: entries, problem: nil)
    }

    /// Checks the whole chain. Returns the number of entries; throws `audit.chain-broken`
    /// naming the first line that does not fit.
    @discardableResult
    public func verify() throws -> Int {
        var previousHash = AuditEntry.genesisHash
        var sequence = 0
        var keyed = false
        for (index, line) in try lines().enumerated() {
            let entry: AuditEntry
            do {
                entry = try line.entry()
            } catch {
                throw Self.broken(line: index + 1, "is not a valid audit entry")
            }
            guard entry.sequence == sequence + 1 else {
                throw Self.broken(
                    line: index + 1, "has sequence \(entry.sequence), expected \(sequence + 1): an entry was removed or reordered")
            }
            guard entry.previousHash == previousHash else {
                throw Self.broken(line: index + 1, "does not chain to the line before it: an entry was altered, removed or reordered")
            }
            if let macKey {
                if let mac = entry.mac {
                    guard try Self.mac(of: entry, key: macKey) == mac else {
                        throw Self.broken(
                            line: index + 1,
                            "(entry #\(entry.sequence)) has a MAC that does not fit: it was changed, or written under another vault's key")
                    }
                    keyed = true
                } else if keyed {
                    throw Self.broken(
                        line: index + 1, "(entry #\(entry.sequence)) has no MAC after keyed entries: it was inserted or rewritten")
                }
            }
            previousHash = line.hash
            sequence = entry.sequence
        }
        return sequence
    }

    /// An append cut short by a crash leaves a last line without its newline. That entry
    /// was never acknowledged, so it is removed (its vault change, if saved, carries its
    /// own copy of the entry and `reconcile` writes it again).
    private func cutTornTail() throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let bytes = try SecureFile.read(path).withUnsafeBytes { Array($0) }
        guard let last = bytes.last, last != UInt8(ascii: "\n") else { return }
        let keep = (bytes.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        guard truncate(path, off_t(keep)) == 0 else {
            throw AuditError(
                code: .writeFailed,
                message: "cannot remove the torn last line of \(path): \(String(cString: strerror(errno)))",
                hint: "check the state directory's permissions"
            )
        }
        tail = nil
    }

    private func currentTail() throws -> (Int, String) {
        if let tail { return tail }
        guard let last = try lines().last else { return (0, AuditEntry.genesisHash) }
        let found = (try last.entry().sequence, last.hash)
        tail = found
        return found
    }

    private static func broken(line: Int, _ reason: String) -> AuditError {
        AuditError(
            code: .chainBroken,
            message: "audit log line \(line) \(reason)",
            hint: "the log was tampered with or damaged; keep this copy as evidence and compare it with your backups"
        )
    }
}
