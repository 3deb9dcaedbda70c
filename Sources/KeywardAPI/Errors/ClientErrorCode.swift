/// The codes keywardctl reports of its own: failures to reach or understand keywardd, and
/// usage errors (docs/key-tool.md). Never an HTTP answer: status 0.
/// docs list every one (`ErrorCatalogTests` holds code and docs together).
public enum ClientErrorCode: String, ErrorCode, CaseIterable {
    case badResponse = "client.bad-response"
    case journalUnavailable = "client.journal-unavailable"
    case socketPathTooLong = "client.socket-path-too-long"
    case storeHelperMissing = "client.store-helper-missing"
    case timeout = "client.timeout"
    case unreachable = "client.unreachable"
    case usage = "usage"

    public var status: Int {
        0
    }
}
