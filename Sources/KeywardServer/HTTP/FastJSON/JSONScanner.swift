/// A JSON value as `JSONScanner` reads it: objects keep their members in order.
enum JSONValue: Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number (its value is never needed on the signing path).
    case number
    case bool(Bool)
    case null

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number, .number), (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        default: false
        }
    }

    /// The member `key` of an object (the first one, where a key repeats, as JSONDecoder reads it).
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// A JSON reader for the bodies of the hot path (signing), so that a signature costs no
/// Foundation JSON: one pass, nesting bounded, every string checked (UTF-8, escapes, no raw
/// control bytes) as RFC 8259 asks. JSONDecoder reads the same bodies the same way, except
/// that it checks only the strings it decodes: a member no request has, with a raw control
/// byte or bad UTF-8 in it, is refused here and let through there (`SigningJSONAgreement`).
struct JSONScanner {
    enum Failure: Error, Equatable {
        case invalid
        case tooDeep
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private let maximumDepth: Int

    /// The one value `bytes` hold (whitespace around it allowed, nothing else).
    static func value(of bytes: UnsafeRawBufferPointer, maximumDepth: Int = 32) throws(Failure) -> JSONValue {
        var scanner = JSONScanner(bytes: bytes, maximumDepth: maximumDepth)
        // A UTF-8 byte order mark is skipped, as JSONDecoder skips it.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { scanner.index = 3 }
        scanner.skipWhitespace()
        let value = try scanner.value(depth: 0)
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw .invalid }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw .invalid }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            try number()
            return .number
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= maximumDepth else { throw .tooDeep }
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw .invalid }
            let key = try string()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw .invalid }
            index += 1
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw .invalid
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= maximumDepth else { throw .tooDeep }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw .invalid
            }
        }
    }

    /// A string from its opening quote: escapes decoded, UTF-8 checked.
    private mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        // The common case: no escape, so the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return try Self.text(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw .invalid }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: decoded, as: UTF8.self) else { throw .invalid }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &decoded)
            case 0..<0x20:
                throw .invalid
            default:
                decoded.append(byte)
            }
        }
        throw .invalid
    }

    private static func text(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalid }
        return text
    }

    private mutating func escape(into decoded: inout [UInt8]) throws(Failure) {
        guard index < bytes.count else { throw .invalid }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw .invalid
                }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw .invalid }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw .invalid
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .invalid }
            decoded.append(contentsOf: String(unicode).utf8)
        default:
            throw .invalid
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .invalid }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = ASCII.hexValue(bytes[index]) else { throw .invalid }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number as JSONDecoder reads one it does not decode: a run of number characters
    /// starting with `-` or a digit (the grammar is checked only for a value that is decoded
    /// as a number, which the signing path never does).
    private mutating func number() throws(Failure) {
        guard let first = peek, first == UInt8(ascii: "-") || isDigit(first) else { throw .invalid }
        index += 1
        while let byte = peek,
            isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        {
            index += 1
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
            UnsafeRawBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[index..<index + count])
        else { throw .invalid }
        index += count
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= ASCII.zero && byte <= ASCII.nine }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == ASCII.space || byte == ASCII.tab || byte == ASCII.lf || byte == ASCII.cr { index += 1 }
    }
}
