import Foundation
import KeywardAPI

/// The daemon's JSON, in the one configuration of the API (`APIJSON`).
enum JSON {
    private static let encoder = APIJSON.encoder()
    private static let decoder = APIJSON.decoder()

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try encoder.encode(value))
    }

    /// Decodes a request body, turning every failure into a 400 that says what was wrong.
    static func decode<Value: Decodable>(_ type: Value.Type, from body: RequestBody) throws -> Value {
        // Read in place: no copy of the body is made (it may hold a private key).
        try body.withUnsafeBytes { bytes in
            try decode(type, from: bytes)
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from body: UnsafeRawBufferPointer) throws -> Value {
        try checkShape(body)
        do {
            let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: body.baseAddress!), count: body.count, deallocator: .none)
            return try decoder.decode(Value.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw missing(key.stringValue)
        } catch let DecodingError.typeMismatch(_, context) {
            throw wrongType(context.codingPath.map(\.stringValue).joined(separator: "."))
        } catch let error as any ReportableErrorBridge {
            throw error.apiError
        } catch {
            throw invalid
        }
    }

    /// What is refused before any parsing: no body, more than 1 MiB, nesting over 32 levels.
    static func checkShape(_ body: UnsafeRawBufferPointer) throws {
        guard !body.isEmpty else {
            throw APIError(
                code: .emptyBody, message: "the request has no JSON body",
                hint: "send a JSON object as described in docs/api.md")
        }
        guard body.count <= 1 << 20, JSONDepth.isWithinLimit(body, maximum: 32) else { throw tooDeep }
    }

    // The failures of a body, the same for every reader of JSON in the daemon.

    static let tooDeep = APIError(
        code: .jsonTooDeep, message: "the JSON body nests deeper than 32 levels",
        hint: "send the flat objects described in docs/api.md")

    static let invalid = APIError(
        code: .badJson, message: "the body is not valid JSON for this request",
        hint: "send a JSON object as described in docs/api.md")

    static func missing(_ key: String) -> APIError {
        APIError(
            code: .missingField, message: "the JSON body has no field '\(key)'",
            hint: "see docs/api.md for the fields of this request")
    }

    static func wrongType(_ path: String) -> APIError {
        APIError(
            code: .wrongType, message: "the field '\(path)' has the wrong type", hint: "see docs/api.md for the fields of this request")
    }
}

/// Rejects pathological nesting before Foundation's recursive parser sees it.
enum JSONDepth {
    static func isWithinLimit(_ bytes: UnsafeRawBufferPointer, maximum: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maximum { return false }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return true
    }
}

/// Lets validation errors thrown while decoding (a bad PID inside a setup body) keep their
/// own code.
protocol ReportableErrorBridge: Error {
    var apiError: APIError { get }
}
