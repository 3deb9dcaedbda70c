import NIOCore

/// Writes response heads: status line, the response's fields, Content-Length (none for 204
/// and 304, which have no body), `Connection: close` when the connection ends after it.
enum ResponseHeadWriter {
    static func write(_ response: HTTPResponse, keepAlive: Bool, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(response.status))
        buffer.writeInteger(ASCII.space)
        buffer.writeString(reason(response.status))
        buffer.writeStaticString("\r\n")
        for (name, value) in response.headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        if hasBody(response.status) {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeString(String(response.body.readableBytes))
            buffer.writeStaticString("\r\n")
        }
        if !keepAlive { buffer.writeStaticString("Connection: close\r\n") }
        buffer.writeStaticString("\r\n")
    }

    /// The head of `response` on a keep-alive connection, written once (a document served
    /// many times gets its head built with it).
    static func prepared(_ response: HTTPResponse) -> ByteBuffer {
        var head = ByteBuffer()
        head.reserveCapacity(128 + response.headers.count * 48)
        write(response, keepAlive: true, into: &head)
        return head
    }

    /// 1xx, 204 and 304 responses have no body and no Content-Length (RFC 9110 8.6).
    static func hasBody(_ status: Int) -> Bool { status >= 200 && status != 204 && status != 304 }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 423: "Locked"
        case 425: "Too Early"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 507: "Insufficient Storage"
        default: "Status"
        }
    }
}
