// Keyward's enums as argument values (same package, so no retroactive conformance).
public import ArgumentParser
public import KeywardCrypto

extension KeyEncoding: ExpressibleByArgument {}
extension PrivateKeyStructure: ExpressibleByArgument {}
extension PublicKeyStructure: ExpressibleByArgument {}
extension SignatureAlgorithm: ExpressibleByArgument {}

extension RSAKeySize: ExpressibleByArgument {
    public init?(argument: String) {
        guard let bits = Int(argument) else { return nil }
        self.init(rawValue: bits)
    }

    public static var allValueStrings: [String] { allCases.map { String($0.rawValue) } }
}

/// A structure name that fits either kind of key (`pkcs1`, `pkcs8`, `spki`).
enum AnyKeyStructure: String, ExpressibleByArgument, CaseIterable {
    case pkcs1, pkcs8, spki
}
