/// The bytes and byte classes of HTTP/1.1's grammar (RFC 9110 5.6, RFC 9112).
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let comma: UInt8 = 0x2C
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let one: UInt8 = 0x31
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B

    /// tchar: "!#$%&'*+-.^_`|~", digits and letters.
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool { tokenTable[Int(byte)] }

    /// VCHAR: a visible ASCII byte (0x21 to 0x7E).
    @inline(__always)
    static func isVisible(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool { hexValue(byte) != nil }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// Whether `bytes` spell `word` (lowercase ASCII) in any case.
    static func equalsIgnoringCase(_ bytes: Slice<UnsafeRawBufferPointer>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        var index = bytes.startIndex
        for lower in expected {
            let byte = bytes[index]
            guard byte == lower || (byte >= 0x41 && byte <= 0x5A && byte | 0x20 == lower) else { return false }
            index += 1
        }
        return true
    }

    private static let tokenTable: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}

/// The comma-separated elements of a field value (RFC 9110 5.6.1), each without the
/// whitespace around it; empty elements are skipped.
struct FieldList: Sequence, IteratorProtocol {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func next() -> Slice<UnsafeRawBufferPointer>? {
        while index < bytes.count {
            var start = index
            while index < bytes.count && bytes[index] != ASCII.comma { index += 1 }
            var end = index
            index += 1
            while start < end && (bytes[start] == ASCII.space || bytes[start] == ASCII.tab) { start += 1 }
            while end > start && (bytes[end - 1] == ASCII.space || bytes[end - 1] == ASCII.tab) { end -= 1 }
            if start < end { return bytes[start..<end] }
        }
        return nil
    }
}

/// The field names Keyward reads; every other is `.other`.
enum FieldName {
    case contentLength
    case transferEncoding
    case connection
    case ifNoneMatch
    case expect
    case upgrade
    case other

    init(_ name: UnsafeRawBufferPointer) {
        let slice = name[...]
        switch name.count {
        case 14 where ASCII.equalsIgnoringCase(slice, "content-length"): self = .contentLength
        case 17 where ASCII.equalsIgnoringCase(slice, "transfer-encoding"): self = .transferEncoding
        case 10 where ASCII.equalsIgnoringCase(slice, "connection"): self = .connection
        case 13 where ASCII.equalsIgnoringCase(slice, "if-none-match"): self = .ifNoneMatch
        case 6 where ASCII.equalsIgnoringCase(slice, "expect"): self = .expect
        case 7 where ASCII.equalsIgnoringCase(slice, "upgrade"): self = .upgrade
        default: self = .other
        }
    }
}

/// The request methods HTTP/1.1 parsers know (llhttp's list for HTTP, which NIO uses): a
/// method outside it is malformed, one inside it that no route has gets 405 or 404.
enum HTTPMethodName {
    static let longest = 12

    private static let names: [String] = [
        "GET", "POST", "PUT", "DELETE", "HEAD", "CONNECT", "OPTIONS", "TRACE", "COPY", "LOCK", "MKCOL", "MOVE", "PROPFIND",
        "PROPPATCH", "SEARCH", "UNLOCK", "BIND", "REBIND", "UNBIND", "ACL", "REPORT", "MKACTIVITY", "CHECKOUT", "MERGE", "M-SEARCH",
        "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "PATCH", "PURGE", "MKCALENDAR", "LINK", "UNLINK", "SOURCE", "QUERY",
    ]
    private static let utf8Names = names.map { Array($0.utf8) }

    /// The method's name when `bytes` are one of them (the same `String` every time: no
    /// allocation per request).
    static func known(_ bytes: Slice<UnsafeRawBufferPointer>) -> String? {
        for (index, name) in utf8Names.enumerated() where name.count == bytes.count && name.elementsEqual(bytes) {
            return names[index]
        }
        return nil
    }

    /// Whether `bytes` begin one of the methods.
    static func isPrefix(_ bytes: Slice<UnsafeRawBufferPointer>) -> Bool {
        utf8Names.contains { $0.count >= bytes.count && $0.prefix(bytes.count).elementsEqual(bytes) }
    }
}
