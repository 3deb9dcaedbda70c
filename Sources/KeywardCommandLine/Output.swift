public import Foundation
import KeywardAPI

/// Where results go: human text or one JSON object per command on standard output, errors
/// on standard error.
public enum Output {
    public static func printJSON(_ value: some Encodable) {
        guard let data = try? APIJSON.encoder().encode(value) else { return }
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// A time as the daemon's JSON writes it (ISO 8601, UTC).
    public static func time(_ date: Date) -> String {
        date.ISO8601Format()
    }

    public static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    public static func printLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes raw bytes to standard output (a converted key asked for with `--out -`).
    public static func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        FileHandle.standardOutput.write(Data(bytes))
    }
}
