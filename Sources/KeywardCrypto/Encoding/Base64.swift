/// Standard base64 (RFC 4648, with padding) that reads and writes secret buffers.
///
/// Foundation's codec returns ordinary `Data`/`String` values that are never cleansed; key
/// material passes through here instead, so every intermediate copy is a `SecretBytes`.
enum Base64 {
    enum DecodingFailure: Error, Equatable {
        case invalidCharacter(offset: Int)
        case badLength
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let decodeTable: [Int16] = {
        var table = [Int16](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int16(index) }
        return table
    }()

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether every byte is base64 alphabet, padding or whitespace, and there is at least one
    /// alphabet byte.
    static func looksLikeBase64(_ text: UnsafeRawBufferPointer) -> Bool {
        var sawAlphabet = false
        for byte in text {
            if decodeTable[Int(byte)] >= 0 {
                sawAlphabet = true
            } else if byte != UInt8(ascii: "=") && !isWhitespace(byte) {
                return false
            }
        }
        return sawAlphabet
    }

    /// Decodes `text`, skipping whitespace (PEM line breaks, Windows line ends, pasted spaces).
    static func decode(_ text: UnsafeRawBufferPointer) throws(DecodingFailure) -> SecretBytes {
        var symbols = 0
        var padding = 0
        for (offset, byte) in text.enumerated() {
            if isWhitespace(byte) { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            // No symbol may follow padding, and only the alphabet is allowed.
            guard padding == 0, decodeTable[Int(byte)] >= 0 else { throw .invalidCharacter(offset: offset) }
            symbols += 1
        }
        guard padding <= 2, (symbols + padding) % 4 == 0 || padding == 0, symbols % 4 != 1 else { throw .badLength }
        let outputCount = symbols / 4 * 3 + max(0, symbols % 4 - 1)
        return SecretBytes(count: outputCount) { output in
            var accumulator: UInt32 = 0
            var bits = 0
            var written = 0
            for byte in text {
                let value = decodeTable[Int(byte)]
                if value < 0 { continue }
                accumulator = (accumulator << 6) | UInt32(value)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    output[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                    written += 1
                }
            }
            accumulator = 0
        }
    }

    /// Encodes `bytes`; with `lineLength`, inserts a newline after every `lineLength` symbols
    /// and at the end (PEM style).
    static func encode(_ bytes: UnsafeRawBufferPointer, lineLength: Int? = nil) -> SecretBytes {
        let symbolCount = (bytes.count + 2) / 3 * 4
        let newlineCount = lineLength.map { symbolCount == 0 ? 0 : (symbolCount + $0 - 1) / $0 } ?? 0
        return SecretBytes(count: symbolCount + newlineCount) { output in
            var written = 0
            var lineFill = 0
            func emit(_ symbol: UInt8) {
                output[written] = symbol
                written += 1
                if let lineLength {
                    lineFill += 1
                    if lineFill == lineLength {
                        output[written] = 0x0A
                        written += 1
                        lineFill = 0
                    }
                }
            }
            var index = 0
            while index < bytes.count {
                let b0 = UInt32(bytes[index])
                let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
                let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
                let group = (b0 << 16) | (b1 << 8) | b2
                emit(alphabet[Int((group >> 18) & 0x3F)])
                emit(alphabet[Int((group >> 12) & 0x3F)])
                emit(index + 1 < bytes.count ? alphabet[Int((group >> 6) & 0x3F)] : UInt8(ascii: "="))
                emit(index + 2 < bytes.count ? alphabet[Int(group & 0x3F)] : UInt8(ascii: "="))
                index += 3
            }
            if lineLength != nil && lineFill > 0 {
                output[written] = 0x0A
                written += 1
            }
        }
    }

    /// Base64 of bytes that are not secret (signatures, fingerprints, public keys).
    static func encodeToString(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { raw in
            encode(raw).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Decodes text that is not secret (signatures).
    static func decodeToArray(_ text: String) throws(DecodingFailure) -> [UInt8] {
        let utf8 = Array(text.utf8)
        let secret: SecretBytes
        do {
            secret = try utf8.withUnsafeBytes { try decode($0) }
        } catch let failure as DecodingFailure {
            throw failure
        } catch {
            throw .badLength
        }
        return secret.withUnsafeBytes { Array($0) }
    }
}
