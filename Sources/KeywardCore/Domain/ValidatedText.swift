/// A credential field that is a validated string: it is encoded as the string and decoded by
/// validating it again, so a vault or request can never smuggle in an invalid value.
public protocol ValidatedText: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The validated text.
    var value: String { get }
    /// Validates `text`, throwing a `CredentialError` that says what is wrong.
    init(_ text: String) throws
}

extension ValidatedText {
    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
