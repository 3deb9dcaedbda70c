/// One route of the socket API: a method and a path pattern whose only variable segment is
/// `{mode}`. The daemon's route table and keywardctl both build on these values, so a path
/// is written once (in `Endpoints`).
public struct Route: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPMethod
    /// For example `/v1/keysets/{mode}/sign`.
    public let pattern: String
    /// The pattern's segments after the leading slash.
    public let segments: [Segment]

    public enum Segment: Sendable, Hashable {
        case literal(String)
        case mode
    }

    public init(_ method: HTTPMethod, _ pattern: String) {
        self.method = method
        self.pattern = pattern
        self.segments = pattern.split(separator: "/").map { $0 == "{mode}" ? .mode : .literal(String($0)) }
    }

    /// Whether the route names a mode.
    public var takesMode: Bool { segments.contains(.mode) }

    /// The path for `mode` (ignored by routes without one).
    public func path(_ mode: Mode? = nil) -> String {
        "/"
            + segments.map {
                switch $0 {
                case .literal(let text): text
                case .mode: mode?.rawValue ?? "{mode}"
                }
            }.joined(separator: "/")
    }

    /// The `{mode}` segment's text if `pathSegments` has this route's shape, else nil
    /// (`.some(nil)` for a route without a mode). The mode text is not checked here.
    public func match(_ pathSegments: [Substring]) -> Substring?? {
        guard pathSegments.count == segments.count else { return nil }
        var mode: Substring?
        for (segment, given) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let text): if given != text { return nil }
            case .mode: mode = given
            }
        }
        return .some(mode)
    }

    public var description: String { "\(method) \(pattern)" }
}
