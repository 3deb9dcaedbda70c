/// Turns key bytes in any supported form into a validated RSA `EVPKey`, or an error that
/// names what was found.
enum KeyParser {
    static func privateKey(from input: UnsafeRawBufferPointer) throws -> (EVPKey, PrivateKeyFormat) {
        let unwrapped = try KeyInput(unwrapping: input, expecting: .privateKey)
        let der = unwrapped.der
        let key: EVPKey
        let structure: PrivateKeyStructure

        switch unwrapped.pemLabel {
        case nil:
            if let decoded = KeyDER.privateKeyPKCS8(der) {
                (key, structure) = (decoded, .pkcs8)
            } else if let decoded = KeyDER.privateKeyPKCS1(der) {
                (key, structure) = (decoded, .pkcs1)
            } else if let other = KeyDER.privateKeyOfAnyType(der) {
                throw CryptoError.wrongAlgorithm(other.algorithmName, role: .privateKey)
            } else if KeyDER.publicKeySPKI(der) != nil || KeyDER.publicKeyPKCS1(der) != nil {
                throw CryptoError.expected(.privateKey)
            } else {
                throw CryptoError.notAKey(.privateKey, encoding: unwrapped.encoding)
            }
        case PrivateKeyStructure.pkcs1.pemLabel?:
            guard let decoded = KeyDER.privateKeyPKCS1(der) else { throw CryptoError.damagedKey(.privateKey, label: "RSA PRIVATE KEY") }
            (key, structure) = (decoded, .pkcs1)
        case PrivateKeyStructure.pkcs8.pemLabel?:
            guard let decoded = KeyDER.privateKeyPKCS8(der) else { throw CryptoError.damagedKey(.privateKey, label: "PRIVATE KEY") }
            (key, structure) = (decoded, .pkcs8)
        case "ENCRYPTED PRIVATE KEY"?:
            throw CryptoError.encryptedKey()
        case PublicKeyStructure.spki.pemLabel?, PublicKeyStructure.pkcs1.pemLabel?:
            throw CryptoError.expected(.privateKey)
        case let label?:
            throw CryptoError.unsupportedPEMLabel(label, role: .privateKey)
        }

        try validate(key, role: .privateKey)
        let primes = key.primeCount
        guard primes == 2 else { throw CryptoError.multiPrime(primes: primes) }
        guard key.passesPrivateKeyCheck() else { throw CryptoError.inconsistentKey(.privateKey) }
        return (key, PrivateKeyFormat(structure, unwrapped.encoding))
    }

    static func publicKey(from input: UnsafeRawBufferPointer) throws -> (EVPKey, PublicKeyFormat) {
        let unwrapped = try KeyInput(unwrapping: input, expecting: .publicKey)
        let der = unwrapped.der
        let key: EVPKey
        let structure: PublicKeyStructure

        switch unwrapped.pemLabel {
        case nil:
            if let decoded = KeyDER.publicKeySPKI(der) {
                (key, structure) = (decoded, .spki)
            } else if let decoded = KeyDER.publicKeyPKCS1(der) {
                (key, structure) = (decoded, .pkcs1)
            } else if KeyDER.privateKeyPKCS8(der) != nil || KeyDER.privateKeyPKCS1(der) != nil
                || KeyDER.privateKeyOfAnyType(der) != nil
            {
                throw CryptoError.expected(.publicKey)
            } else {
                throw CryptoError.notAKey(.publicKey, encoding: unwrapped.encoding)
            }
        case PublicKeyStructure.spki.pemLabel?:
            guard let decoded = KeyDER.publicKeySPKI(der) else { throw CryptoError.damagedKey(.publicKey, label: "PUBLIC KEY") }
            (key, structure) = (decoded, .spki)
        case PublicKeyStructure.pkcs1.pemLabel?:
            guard let decoded = KeyDER.publicKeyPKCS1(der) else { throw CryptoError.damagedKey(.publicKey, label: "RSA PUBLIC KEY") }
            (key, structure) = (decoded, .pkcs1)
        case PrivateKeyStructure.pkcs1.pemLabel?, PrivateKeyStructure.pkcs8.pemLabel?, "ENCRYPTED PRIVATE KEY"?,
            "EC PRIVATE KEY"?, "OPENSSH PRIVATE KEY"?:
            throw CryptoError.expected(.publicKey)
        case let label?:
            throw CryptoError.unsupportedPEMLabel(label, role: .publicKey)
        }

        try validate(key, role: .publicKey)
        guard key.passesPublicKeyCheck() else { throw CryptoError.inconsistentKey(.publicKey) }
        return (key, PublicKeyFormat(structure, unwrapped.encoding))
    }

    /// RSA (not RSA-PSS, EC, Ed25519, …) with a modulus Keyward accepts.
    static func validate(_ key: EVPKey, role: KeyRole) throws {
        guard key.isRSA else { throw CryptoError.wrongAlgorithm(key.algorithmName, role: role) }
        let bits = key.bits
        guard bits >= RSAKeySize.minimumBits else { throw CryptoError.keyTooSmall(bits: bits, role: role) }
        guard bits <= RSAKeySize.maximumBits else { throw CryptoError.keyTooLarge(bits: bits, role: role) }
    }
}
