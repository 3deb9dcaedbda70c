import Glibc
import KeywardCrypto

/// The vault as one file in a state directory, replaced atomically, with an exclusive lock
/// that keeps a second process off it.
///
/// A save writes a temporary file in the same directory (O_EXCL, mode 0600), fsyncs it,
/// renames it over the vault and fsyncs the directory. A failure at any step removes the
/// temporary file and leaves the old vault as it was.
public final class FileVaultStore: VaultStore {
    public let directory: String
    public let vaultPath: String
    private let lockDescriptor: Int32

    public var location: String { vaultPath }

    /// File names inside the state directory.
    public static let vaultFileName = "vault.kwv"
    public static let lockFileName = "vault.lock"

    /// Opens the store and takes its lock, or fails naming the process that holds it.
    public init(directory: String) throws {
        self.directory = directory
        self.vaultPath = "\(directory)/\(Self.vaultFileName)"
        let lockPath = "\(directory)/\(Self.lockFileName)"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw VaultError(
                code: .directoryUnusable,
                message: "cannot open \(lockPath): \(String(cString: strerror(errno)))",
                hint: "check that the state directory exists and belongs to the daemon's user"
            )
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(fd)
            close(fd)
            throw VaultError(
                code: .locked,
                message: "the vault in \(directory) is in use by another process\(holder.map { " (pid \($0))" } ?? "")",
                hint: "stop the other keywardd first, or give this one another state directory"
            )
        }
        // Record our pid for the message another process would show.
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.lockDescriptor = fd
    }

    deinit {
        close(lockDescriptor)
    }

    public func load() async throws -> [UInt8]? {
        try loadNow()
    }

    public func save(_ bytes: [UInt8], generation: UInt64, replacing: UInt64?) async throws {
        try await DiskIO.run { try self.saveNow(bytes) }
    }

    /// The vault file's bytes, or nil when there is none.
    public func loadNow() throws -> [UInt8]? {
        do {
            return try SecureFile.read(vaultPath).withUnsafeBytes { Array($0) }
        } catch let error as FileError where error.kind == .notFound {
            return nil
        }
    }

    /// Atomically and durably replaces the vault file.
    public func saveNow(_ bytes: [UInt8]) throws {
        let suffix = try SecureRandom.bytes(count: 6).map { String($0, radix: 16) }.joined()
        let temporary = "\(directory)/.\(Self.vaultFileName).\(suffix).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Self.saveFailure("create \(temporary)", errno) }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            try bytes.withUnsafeBytes { try SecureFile.writeAll(fd: fd, $0, name: temporary) }
            guard fsync(fd) == 0 else { throw Self.saveFailure("fsync \(temporary)", errno) }
        } catch let error as FileError {
            throw VaultError(
                code: error.kind == .noSpace ? .noSpace : .writeFailed,
                message: "saving the vault failed: \(error.message)",
                hint: error.hint + "; the previous vault is intact")
        }
        guard rename(temporary, vaultPath) == 0 else { throw Self.saveFailure("rename over \(vaultPath)", errno) }
        renamed = true
        // The rename is durable only once the directory entry is on disk.
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw Self.saveFailure("open \(directory)", errno) }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else { throw Self.saveFailure("fsync \(directory)", errno) }
    }

    private static func saveFailure(_ step: String, _ code: Int32) -> VaultError {
        VaultError(
            code: code == ENOSPC || code == EDQUOT ? .noSpace : .writeFailed,
            message: "saving the vault failed at \(step): \(String(cString: strerror(code)))",
            hint: (code == ENOSPC ? "free space in the state directory and try again" : "check the state directory")
                + "; the previous vault is intact"
        )
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingASCIIWhitespace())
    }
}
