/// A route with the types of its JSON request and answer, for a typed client call.
public struct Endpoint<Request: Codable & Sendable, Answer: Codable & Sendable>: Sendable {
    public let route: Route
    /// The status of a successful answer.
    public let successStatus: Int

    init(_ method: HTTPMethod, _ pattern: String, successStatus: Int = 200) {
        route = Route(method, pattern)
        self.successStatus = successStatus
    }
}
