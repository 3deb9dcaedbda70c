/// Key bytes as they arrived, unwrapped to DER: PEM armour or bare base64 removed, the
/// encoding that was found remembered.
struct KeyInput {
    let der: SecretBytes
    let encoding: KeyEncoding
    /// The PEM label, when the input was PEM.
    let pemLabel: String?

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Detects PEM, bare base64 or DER. Whitespace, Windows line ends and a UTF-8 byte order
    /// mark are tolerated; anything else is refused with an error that names what was found.
    init(unwrapping input: UnsafeRawBufferPointer, expecting role: KeyRole) throws {
        var text = input
        if text.count >= 3, text[0] == Self.byteOrderMark[0], text[1] == Self.byteOrderMark[1], text[2] == Self.byteOrderMark[2] {
            text = UnsafeRawBufferPointer(rebasing: text[3...])
        }
        guard let first = text.first(where: { !Base64.isWhitespace($0) }) else {
            throw CryptoError.emptyKey(role)
        }

        if PEM.containsArmour(text) {
            do {
                let block = try PEM.firstKeyBlock(in: text)
                self.der = block.der
                self.encoding = .pem
                self.pemLabel = block.label
            } catch {
                throw CryptoError.badPEM(error, role: role)
            }
        } else if Base64.looksLikeBase64(text) {
            do {
                self.der = try Base64.decode(text)
            } catch {
                throw CryptoError.badBase64(role)
            }
            self.encoding = .bare
            self.pemLabel = nil
        } else if first == 0x30 {
            // ASN.1 SEQUENCE tag: every key structure starts with one.
            self.der = SecretBytes(copying: text)
            self.encoding = .der
            self.pemLabel = nil
        } else {
            throw CryptoError.unrecognizedKey(role, startsWithSSH: text.starts(with: Array("ssh-".utf8)))
        }
    }
}

/// Which kind of key the caller expects, so errors can say "a public key where a private
/// key is expected".
enum KeyRole: Sendable {
    case privateKey
    case publicKey

    var noun: String {
        switch self {
        case .privateKey: "private key"
        case .publicKey: "public key"
        }
    }
}
