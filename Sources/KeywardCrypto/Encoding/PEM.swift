/// Finds and writes PEM armour (RFC 7468) without copying key bytes into ordinary arrays.
enum PEM {
    /// One `-----BEGIN label-----` … `-----END label-----` block, decoded.
    struct Block {
        let label: String
        let der: SecretBytes
    }

    enum ParseFailure: Error {
        case missingEnd(label: String)
        case mismatchedEnd(begin: String, end: String)
        case encryptedHeaders(label: String)
        case badBody(label: String)
        case noBlock
        /// More than whitespace after the key's END line: a second key, a certificate, stray bytes.
        case trailingData(label: String)
    }

    private static let begin = Array("-----BEGIN ".utf8)
    private static let end = Array("-----END ".utf8)
    private static let dashes = Array("-----".utf8)

    /// Labels of PEM blocks that carry parameters rather than a key, skipped when looking
    /// for the key (as written by `openssl ecparam -genkey`).
    private static let parameterLabels: Set<String> = ["EC PARAMETERS", "DH PARAMETERS"]

    /// Whether `text` contains a BEGIN line anywhere.
    static func containsArmour(_ text: UnsafeRawBufferPointer) -> Bool {
        find(begin, in: text, from: 0) != nil
    }

    /// The first block that holds a key (parameter blocks are skipped). Text before the first
    /// BEGIN line, such as `Bag Attributes`, is ignored.
    static func firstKeyBlock(in text: UnsafeRawBufferPointer) throws(ParseFailure) -> Block {
        var searchFrom = 0
        while let beginStart = find(begin, in: text, from: searchFrom) {
            let labelStart = beginStart + begin.count
            guard let labelEnd = find(dashes, in: text, from: labelStart) else { throw .noBlock }
            let label = String(decoding: UnsafeRawBufferPointer(rebasing: text[labelStart..<labelEnd]), as: UTF8.self)
            let bodyStart = labelEnd + dashes.count
            guard let endStart = find(end, in: text, from: bodyStart) else { throw .missingEnd(label: label) }
            let endLabelStart = endStart + end.count
            guard let endLabelEnd = find(dashes, in: text, from: endLabelStart) else { throw .missingEnd(label: label) }
            let endLabel = String(decoding: UnsafeRawBufferPointer(rebasing: text[endLabelStart..<endLabelEnd]), as: UTF8.self)
            guard endLabel == label else { throw .mismatchedEnd(begin: label, end: endLabel) }
            searchFrom = endLabelEnd + dashes.count
            if parameterLabels.contains(label) { continue }

            let body = UnsafeRawBufferPointer(rebasing: text[bodyStart..<endStart])
            // RFC 1421 headers (Proc-Type, DEK-Info) appear only on passphrase-encrypted keys.
            if body.contains(UInt8(ascii: ":")) { throw .encryptedHeaders(label: label) }
            // One key, and only that: what follows it must be blank, or the input is ambiguous.
            let rest = UnsafeRawBufferPointer(rebasing: text[searchFrom...])
            if rest.contains(where: { !PEM.isWhitespace($0) }) { throw .trailingData(label: label) }
            do {
                return Block(label: label, der: try Base64.decode(body))
            } catch {
                throw .badBody(label: label)
            }
        }
        throw .noBlock
    }

    /// `der` armoured with `label`, 64 symbols a line, ending in a newline.
    static func armour(_ der: UnsafeRawBufferPointer, label: String) -> SecretBytes {
        let header = Array("-----BEGIN \(label)-----\n".utf8)
        let footer = Array("-----END \(label)-----\n".utf8)
        let body = Base64.encode(der, lineLength: 64)
        return SecretBytes(count: header.count + body.count + footer.count) { output in
            let base = output.baseAddress!
            header.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            body.withUnsafeBytes { base.advanced(by: header.count).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            footer.withUnsafeBytes {
                base.advanced(by: header.count + body.count).copyMemory(from: $0.baseAddress!, byteCount: $0.count)
            }
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            var matched = true
            for offset in 0..<needle.count where haystack[index + offset] != needle[offset] {
                matched = false
                break
            }
            if matched { return index }
            index += 1
        }
        return nil
    }
}
