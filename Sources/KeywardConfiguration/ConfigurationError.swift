public import KeywardCrypto

/// Errors of the configuration file.
public enum ConfigurationErrorDomain: ErrorDomain {
    public typealias Code = ConfigurationErrorCode
    public static let name = "config"
}

/// A configuration error: names the file, the line and the key.
public typealias ConfigurationError = KeywardError<ConfigurationErrorDomain>

extension ConfigurationError {
    static func at(_ source: String, _ line: Int, _ what: String, hint: String = "see the documented example, etc/keyward/keywardd.toml")
        -> ConfigurationError
    {
        ConfigurationError(code: .invalid, message: "\(source) line \(line): \(what)", hint: hint)
    }
}
