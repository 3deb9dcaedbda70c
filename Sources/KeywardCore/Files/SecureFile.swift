public import Glibc
public import KeywardCrypto

/// Reads and creates files that hold secrets, with POSIX calls so that no unzeroed copy is
/// left behind in a Foundation buffer.
public enum SecureFile {
    /// Largest file read into memory: keys and vaults are kilobytes; this stops a wrong path
    /// (a disk image, /dev/zero) from exhausting memory.
    public static let maximumReadSize = 16 << 20

    /// The whole file at `path` (or standard input for `-`) as secret bytes.
    public static func read(_ path: String) throws -> SecretBytes {
        if path == "-" { return try readAll(fd: STDIN_FILENO, name: "standard input") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw openFailure(path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw FileError(code: .isDirectory, message: "\(path) is a directory, not a file", hint: "name the file itself")
        }
        return try readAll(fd: fd, name: path)
    }

    /// Reads `fd` to its end.
    public static func readAll(fd: Int32, name: String) throws -> SecretBytes {
        var chunks: [SecretBytes] = []
        var total = 0
        while true {
            var got = 0
            let chunk = try SecretBytes(count: 64 * 1024) { buffer in
                while true {
                    let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                    if count < 0 && errno == EINTR { continue }
                    guard count >= 0 else { throw readFailure(name, errno: errno) }
                    got = count
                    return
                }
            }
            if got == 0 { break }
            total += got
            guard total <= maximumReadSize else {
                throw FileError(
                    code: .tooLarge,
                    message: "\(name) is larger than \(maximumReadSize >> 20) MiB: not a key or vault file",
                    hint: "check the path"
                )
            }
            chunks.append(chunk.extracting(0..<got))
        }
        return SecretBytes(count: total) { output in
            var offset = 0
            for chunk in chunks {
                chunk.withUnsafeBytes { output.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                offset += chunk.count
            }
        }
    }

    /// Creates `path` with exactly `mode` (the umask does not apply), writes `contents` and
    /// fsyncs it. Refuses to replace an existing file: key files are never overwritten.
    public static func createExclusive(_ path: String, contents: UnsafeRawBufferPointer, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST {
                throw FileError(
                    code: .exists,
                    message: "\(path) already exists; Keyward never overwrites a key file",
                    hint: "choose another path, or move the old file away after you are sure it is not needed"
                )
            }
            throw FileError(
                code: .createFailed,
                message: "cannot create \(path): \(describe(code))",
                hint: "check that the directory exists and is writable"
            )
        }
        var completed = false
        defer {
            close(fd)
            if !completed { unlink(path) }
        }
        guard fchmod(fd, mode) == 0 else { throw writeFailure(path, errno: errno) }
        try writeAll(fd: fd, contents, name: path)
        guard fsync(fd) == 0 else { throw writeFailure(path, errno: errno) }
        completed = true
    }

    /// Writes every byte, retrying short writes and EINTR.
    public static func writeAll(fd: Int32, _ contents: UnsafeRawBufferPointer, name: String) throws {
        var offset = 0
        while offset < contents.count {
            let written = write(fd, contents.baseAddress! + offset, contents.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw writeFailure(name, errno: errno) }
            offset += written
        }
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func openFailure(_ path: String, errno code: Int32) -> FileError {
        switch code {
        case ENOENT:
            return FileError(code: .notFound, message: "\(path) does not exist", hint: "check the path")
        case EACCES, EPERM:
            return FileError(
                code: .permissionDenied,
                message: "no permission to read \(path)",
                hint: "run as the user that owns the file, or fix its permissions"
            )
        default:
            return FileError(code: .openFailed, message: "cannot open \(path): \(describe(code))", hint: "check the path")
        }
    }

    static func readFailure(_ name: String, errno code: Int32) -> FileError {
        FileError(code: .readFailed, message: "reading \(name) failed: \(describe(code))", hint: "check the disk and the path")
    }

    static func writeFailure(_ name: String, errno code: Int32) -> FileError {
        FileError(
            code: code == ENOSPC ? .noSpace : .writeFailed,
            message: "writing \(name) failed: \(describe(code))",
            hint: code == ENOSPC ? "free space on the filesystem and try again" : "check the disk and the directory's permissions"
        )
    }
}
