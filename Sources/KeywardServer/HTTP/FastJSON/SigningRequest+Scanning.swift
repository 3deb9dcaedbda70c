import KeywardAPI
import NIOCore

extension SigningRequest {
    /// The body of a sign or verify request, read by `JSONScanner` (no Foundation JSON on the
    /// signing path). Every outcome is the one `JSON.decode` gives for the same bytes, codes
    /// included (`json` fuzz target checks the two agree): fields in declaration order, null as
    /// absent for optional fields, the last of repeated keys.
    static func scanned(from body: RequestBody) throws -> SigningRequest {
        try body.withUnsafeBytes { bytes in
            try JSON.checkShape(bytes)
            switch Result(catching: { () throws(JSONScanner.Failure) in try JSONScanner.value(of: bytes) }) {
            case .success(let value): return try SigningRequest(value)
            case .failure(.tooDeep): throw JSON.tooDeep
            case .failure(.invalid): throw JSON.invalid
            }
        }
    }

    private init(_ value: JSONValue) throws {
        guard case .object = value else { throw JSON.wrongType("") }
        let data = try Self.optionalString(value, "data", path: "data")
        let text = try Self.optionalString(value, "text", path: "text")
        var message: AlipayPlusMessage?
        switch value["alipayPlus"] {
        case nil, .null?: message = nil
        case let nested? where nested.isObject: message = try AlipayPlusMessage(nested)
        case _?: throw JSON.wrongType("alipayPlus")
        }
        self.init(
            data: data, text: text, alipayPlus: message, signature: try Self.optionalString(value, "signature", path: "signature"),
            algorithm: try Self.optionalString(value, "algorithm", path: "algorithm"),
            alipayCertSN: try Self.optionalString(value, "alipayCertSN", path: "alipayCertSN"))
    }

    static func optionalString(_ object: JSONValue, _ key: String, path: String) throws -> String? {
        switch object[key] {
        case nil, .null?: nil
        case .string(let text)?: text
        case _?: throw JSON.wrongType(path)
        }
    }
}

extension AlipayPlusMessage {
    fileprivate init(_ object: JSONValue) throws {
        func required(_ key: String) throws -> String {
            switch object[key] {
            case nil: throw JSON.missing(key)
            case .null?: throw JSON.invalid  // a null where a value must be (JSONDecoder's valueNotFound)
            case .string(let text)?: return text
            case _?: throw JSON.wrongType("alipayPlus.\(key)")
            }
        }
        let method = try required("method")
        let path = try required("path")
        let clientID = try SigningRequest.optionalString(object, "clientId", path: "alipayPlus.clientId")
        let time = try required("time")
        let body = try required("body")
        let signature = try SigningRequest.optionalString(object, "signature", path: "alipayPlus.signature")
        self.init(method: method, path: path, clientId: clientID, time: time, body: body, signature: signature)
    }
}

extension JSONValue {
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

extension SignAnswer {
    /// The API's JSON of this answer, written without Foundation: byte for byte what
    /// `APIJSON`'s encoder writes (`SigningJSONTests`).
    var json: ByteBuffer {
        var writer = JSONWriter(capacity: 256 + signature.utf8.count * 2)
        writer.member("algorithm", algorithm)
        writer.member("clientId", clientId)
        writer.member("keyVersion", keyVersion)
        writer.member("merchantKeyFingerprint", merchantKeyFingerprint)
        writer.member("signature", signature)
        writer.member("signatureHeader", signatureHeader)
        return writer.finish()
    }
}
