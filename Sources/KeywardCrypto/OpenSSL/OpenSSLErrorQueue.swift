import CKeywardOpenSSL

/// Reads and clears OpenSSL's thread-local error queue.
///
/// OpenSSL's reason strings name functions and reasons, never key material, so they may be
/// shown. The queue is always emptied so a stale error never attaches to a later call.
enum OpenSSLErrorQueue {
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            reasons.append(text)
        }
        return reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
    }

    static func clear() {
        ERR_clear_error()
    }
}
