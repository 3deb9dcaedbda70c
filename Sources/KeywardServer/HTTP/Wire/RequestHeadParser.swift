/// Reads a request head (RFC 9112: request line, fields, empty line) in one pass, byte by byte,
/// the way nginx's request-line parser does: a state machine that stops where the bytes end
/// and resumes there when more arrive, so a head that trickles in is never scanned twice.
///
/// Strict: CRLF line endings only, no whitespace before a colon, no folded lines, no chunked
/// request with a Content-Length, one Content-Length. It stores only the fields of
/// `RequestHead`; every other field is checked byte by byte and skipped (no dictionary).
///
/// The bytes given to `parse` are the head so far, from its first byte: the caller keeps them
/// in place until the head is complete (offsets into them are kept between calls).
package struct RequestHeadParser {
    /// The longest head Keyward reads (requests of this API have a handful of short fields).
    package static let maxHeadBytes = 16 * 1024

    private enum State {
        /// Before the method; empty lines there are skipped (RFC 9112 2.2).
        case start
        case method
        case target
        case version
        case requestLineEnd
        case fieldStart
        case fieldName
        case fieldValue
        case fieldLineEnd
        case headEnd
    }

    private var state = State.start
    private var position = 0
    private var tokenStart = 0
    private var nameStart = 0
    private var nameEnd = 0
    /// The end of the field value without trailing whitespace.
    private var valueEnd = 0
    private var valueStarted = false

    private var method = ""
    private var target = ""
    private var minorVersion = 1
    private var contentLength: Int?
    private var transferEncoding = TransferEncoding.absent
    private var connectionClose = false
    private var connectionKeepAlive = false
    private var connectionUpgrade = false
    private var upgradeField = false
    private var ifNoneMatch: String?
    private var expectsContinue = false

    private enum TransferEncoding {
        case absent
        /// The last coding is chunked, and it is the only one.
        case chunked
        /// Codings before chunked (gzip, chunked).
        case chunkedAfterOthers
        /// The last coding is not chunked.
        case notChunked
    }

    package enum Progress: Equatable {
        /// The head is not complete yet: call again with the same bytes and more.
        case incomplete
        /// The head, and how many bytes it took (the body starts there).
        case complete(RequestHead, length: Int)
        case fault(HTTPRequestFault)
    }

    package init() {}

    /// Continues over `bytes` (the whole head so far) from where the last call stopped.
    package mutating func parse(_ bytes: UnsafeRawBufferPointer) -> Progress {
        while position < bytes.count {
            let byte = bytes[position]
            if let fault = step(byte, bytes) { return .fault(fault) }
            position += 1
            if case .headEnd = state, byte == ASCII.lf { return finish(length: position) }
            if position > Self.maxHeadBytes { return .fault(.headTooLarge) }
        }
        // A method that no more bytes could make known is refused now (only checked when the
        // bytes end inside it: a complete method is looked up once).
        if case .method = state, !HTTPMethodName.isPrefix(bytes[tokenStart..<position]) { return .fault(.invalidMethod) }
        return .incomplete
    }

    /// One byte in the current state; a fault, or nil to go on.
    private mutating func step(_ byte: UInt8, _ bytes: UnsafeRawBufferPointer) -> HTTPRequestFault? {
        switch state {
        case .start:
            if byte == ASCII.cr || byte == ASCII.lf { return nil }
            guard ASCII.isToken(byte) else { return .invalidMethod }
            tokenStart = position
            state = .method
        case .method:
            if byte == ASCII.space {
                guard let known = HTTPMethodName.known(bytes[tokenStart..<position]) else { return .invalidMethod }
                method = known
                tokenStart = position + 1
                state = .target
            } else if !ASCII.isToken(byte) || position - tokenStart >= HTTPMethodName.longest {
                return .invalidMethod
            }
        case .target:
            if byte == ASCII.space {
                guard position > tokenStart else { return .unexpectedWhitespace }
                target = String(decoding: bytes[tokenStart..<position], as: UTF8.self)
                tokenStart = position + 1
                state = .version
            } else if position == tokenStart && byte != ASCII.slash {
                return ASCII.isVisible(byte) ? .targetNotOriginForm : .invalidTarget
            } else if !ASCII.isVisible(byte) {
                return byte >= 0x80 ? .targetNotOriginForm : .invalidTarget
            }
        case .version:
            let offset = position - tokenStart
            if offset == 0 && byte == ASCII.space {
                return .unexpectedWhitespace  // more than one space after the target
            } else if offset == 8 {
                guard byte == ASCII.cr else { return .invalidVersion }
                guard let minor = Self.minorVersion(bytes[tokenStart..<position]) else { return .invalidVersion }
                minorVersion = minor
                state = .requestLineEnd
            } else if offset == 7 {
                guard byte == ASCII.zero || byte == ASCII.one else { return .invalidVersion }
            } else if byte != Self.versionPattern[offset] {
                return .invalidVersion
            }
        case .requestLineEnd, .fieldLineEnd:
            guard byte == ASCII.lf else { return .invalidLineEnding }
            state = .fieldStart
        case .fieldStart:
            if byte == ASCII.cr {
                state = .headEnd
            } else if byte == ASCII.space || byte == ASCII.tab {
                return .unexpectedWhitespace  // an obsolete line fold (RFC 9112 5.2)
            } else if ASCII.isToken(byte) {
                nameStart = position
                state = .fieldName
            } else {
                return byte == ASCII.lf ? .invalidLineEnding : .invalidHeaderName
            }
        case .fieldName:
            if byte == ASCII.colon {
                nameEnd = position
                valueStarted = false
                state = .fieldValue
            } else if !ASCII.isToken(byte) {
                return .invalidHeaderName
            }
        case .fieldValue:
            if byte == ASCII.cr {
                if !valueStarted { tokenStart = position; valueEnd = position }
                state = .fieldLineEnd
                return field(bytes)
            } else if byte == ASCII.space || byte == ASCII.tab {
                return nil
            } else if byte < 0x20 || byte == 0x7F {
                return byte == ASCII.lf ? .invalidLineEnding : .invalidHeaderValue
            }
            if !valueStarted {
                valueStarted = true
                tokenStart = position
            }
            valueEnd = position + 1
        case .headEnd:
            guard byte == ASCII.lf else { return .invalidLineEnding }
        }
        return nil
    }

    /// A complete field line: keeps what `RequestHead` needs.
    private mutating func field(_ bytes: UnsafeRawBufferPointer) -> HTTPRequestFault? {
        let name = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd])
        let value = UnsafeRawBufferPointer(rebasing: bytes[tokenStart..<valueEnd])
        switch FieldName(name) {
        case .contentLength:
            guard contentLength == nil else { return .duplicateContentLength }
            guard let length = Self.decimal(value) else { return .invalidContentLength }
            contentLength = length
        case .transferEncoding:
            // An empty field says nothing (llhttp reads it so too); one of only commas names no
            // coding, so it is not chunked.
            if !value.isEmpty { transferEncoding = Self.transferEncoding(value, after: transferEncoding) }
        case .connection:
            for token in FieldList(value) {
                if ASCII.equalsIgnoringCase(token, "close") { connectionClose = true }
                if ASCII.equalsIgnoringCase(token, "keep-alive") { connectionKeepAlive = true }
                if ASCII.equalsIgnoringCase(token, "upgrade") { connectionUpgrade = true }
            }
        case .ifNoneMatch:
            ifNoneMatch = String(decoding: value, as: UTF8.self)
        case .expect:
            expectsContinue = ASCII.equalsIgnoringCase(value[...], "100-continue")
        case .upgrade:
            upgradeField = true
        case .other:
            break
        }
        return nil
    }

    private mutating func finish(length: Int) -> Progress {
        let framing: RequestHead.BodyFraming
        switch (transferEncoding, contentLength) {
        case (.absent, nil): framing = .none
        case (.absent, let length?): framing = .length(length)
        case (_, _?): return .fault(.lengthAndChunked)
        case (.chunked, nil): framing = .chunked
        case (.chunkedAfterOthers, nil): return .fault(.unsupportedTransferCoding)
        case (.notChunked, nil): return .fault(.invalidTransferEncoding)
        }
        let keepAlive = minorVersion >= 1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        let head = RequestHead(
            method: method, target: target, minorVersion: minorVersion, framing: framing, keepAlive: keepAlive,
            ifNoneMatch: ifNoneMatch, expectsContinue: expectsContinue && minorVersion >= 1,
            asksUpgrade: connectionUpgrade && upgradeField)
        self = RequestHeadParser()
        return .complete(head, length: length)
    }

    // MARK: Pieces

    private static let versionPattern = Array("HTTP/1.".utf8)

    private static func minorVersion(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int? {
        switch bytes.last {
        case ASCII.zero: 0
        case ASCII.one: 1
        default: nil
        }
    }

    /// 1*DIGIT, at most 15 digits (more is no body Keyward would read anyway).
    private static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 15 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= ASCII.zero && byte <= ASCII.nine else { return nil }
            value = value * 10 + Int(byte - ASCII.zero)
        }
        return value
    }

    /// The codings of one more Transfer-Encoding field line, after those before it.
    private static func transferEncoding(_ value: UnsafeRawBufferPointer, after before: TransferEncoding) -> TransferEncoding {
        var state = before
        var codings = 0
        for token in FieldList(value) {
            codings += 1
            let chunked = ASCII.equalsIgnoringCase(token, "chunked")
            switch state {
            case .absent: state = chunked ? .chunked : .notChunked
            case .chunked, .chunkedAfterOthers, .notChunked: state = chunked ? .chunkedAfterOthers : .notChunked
            }
        }
        // A field that names no coding (empty, or only commas) is there, and is not chunked.
        return codings == 0 ? .notChunked : state
    }
}
