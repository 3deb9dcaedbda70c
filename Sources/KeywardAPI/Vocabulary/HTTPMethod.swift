/// The methods the API uses.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case get = "GET"
    case put = "PUT"
    case post = "POST"

    public var description: String { rawValue }
}
