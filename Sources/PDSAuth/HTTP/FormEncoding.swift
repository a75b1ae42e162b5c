import CCurl

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `application/x-www-form-urlencoded` bodies and query strings, each name and value
/// percent-encoded by libcurl's `curl_easy_escape` (everything but RFC 3986 unreserved
/// characters). Foundation's `URLComponents` leaves `+` and `&`-adjacent characters alone in
/// queries, which a form decoder reads as a space: a secret containing `+` would break.
public enum FormEncoding {
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    public static func escape(_ text: String) -> String {
        // libcurl reads a length of 0 as "NUL-terminated": an empty value must not reach it.
        guard !text.isEmpty else { return "" }
        CurlRuntime.ensureInitialized()
        let utf8 = Array(text.utf8)
        guard let escaped = utf8.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { curl_easy_escape(nil, $0.baseAddress, Int32(buffer.count)) }
        }) else {
            preconditionFailure("curl_easy_escape failed: out of memory")
        }
        defer { curl_free(escaped) }
        return String(cString: escaped)
    }

    /// Parses `a=1&b=2` (form bodies, query strings, pasted URLs). `+` is a space, as in
    /// HTML forms.
    public static func decode(_ text: some StringProtocol) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = unescape(parts[0])
            let value = parts.count > 1 ? unescape(parts[1]) : ""
            return (name, value)
        }
    }

    /// Decodes with `curl_easy_unescape`; bytes that are not UTF-8 become U+FFFD.
    static func unescape(_ text: some StringProtocol) -> String {
        guard !text.isEmpty else { return "" }
        CurlRuntime.ensureInitialized()
        let spaced = Array(String(text).replacing("+", with: " ").utf8)
        var length: Int32 = 0
        guard let decoded = spaced.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { curl_easy_unescape(nil, $0.baseAddress, Int32(buffer.count), &length) }
        }) else {
            preconditionFailure("curl_easy_unescape failed: out of memory")
        }
        defer { curl_free(decoded) }
        return String(decoding: UnsafeRawBufferPointer(start: decoded, count: Int(length)), as: UTF8.self)
    }
}
