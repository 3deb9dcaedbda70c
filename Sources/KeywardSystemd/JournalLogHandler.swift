import CKeywardSystemd
import Glibc
public import Logging

/// A swift-log handler that writes to journald with structured fields.
///
/// Metadata keys become journal fields: `keyward.mode` → `KEYWARD_MODE`, `keyward.peer_uid`
/// → `KEYWARD_PEER_UID`, anything else upper-cased with `_` for other characters. Callers
/// never put key material in messages or metadata.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let identifier: String

    public init(identifier: String, level: Logger.Level) {
        self.identifier = identifier
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(Self.priority(event.level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields.append("\(Self.fieldName(key))=\(value)")
        }
        Self.send(fields)
    }

    /// journald field names: upper case letters, digits and underscores, not starting with
    /// an underscore.
    static func fieldName(_ key: String) -> String {
        var name = String(key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
        while name.hasPrefix("_") { name.removeFirst() }
        return name.isEmpty ? "FIELD" : name
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func send(_ fields: [String]) {
        // Keep each field's bytes alive while sd_journal_sendv reads them.
        let buffers = fields.map { Array($0.utf8) }
        var vectors: [iovec] = []
        vectors.reserveCapacity(buffers.count)
        func collect(_ index: Int) {
            if index == buffers.count {
                _ = sd_journal_sendv(vectors, Int32(vectors.count))
                return
            }
            buffers[index].withUnsafeBytes { bytes in
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count))
                collect(index + 1)
            }
        }
        collect(0)
    }
}

/// Chooses where logs go: journald when systemd connected standard error to the journal
/// (`JOURNAL_STREAM`), standard error otherwise.
public enum LogDestination {
    public static func bootstrap(level: Logger.Level, identifier: String = "keywardd") {
        let useJournal = getenv("JOURNAL_STREAM") != nil
        LoggingSystem.bootstrap { label in
            if useJournal { return JournalLogHandler(identifier: identifier, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
