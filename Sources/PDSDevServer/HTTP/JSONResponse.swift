import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// JSON responses. Token responses must not be cached (RFC 6749 §5.1: `Cache-Control:
/// no-store`, `Pragma: no-cache`); the same headers go on errors, which cost nothing.
enum JSONResponse {
    static func ok(_ value: some Encodable) -> Response {
        make(.ok, bytes: encode(value))
    }

    /// `{"code", "message", "requestId"}`, the body of every PDS error (PDS error-code reference).
    static func error(_ error: PDSError, requestID: String) -> Response {
        struct Body: Encodable {
            var code: String
            var message: String
            var requestId: String
        }
        var response = make(error.status, bytes: encode(Body(code: error.code.rawValue, message: error.message, requestId: requestID)))
        for (name, value) in error.headers {
            response.headers.set(name, value)
        }
        return response
    }

    /// Raw bytes labelled as JSON: injected faults use it to send what a broken server sends.
    static func make(_ status: HTTPResponse.Status, bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers.set("Pragma", "no-cache")
        headers.set("X-Content-Type-Options", "nosniff")
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail; an empty body would be
        // the visible symptom if it ever did.
        return (try? Array(encoder.encode(value))) ?? []
    }
}

extension JSONResponse {
    /// `{"error", "error_description"}` (RFC 6749 §5.2), with the same no-store headers as
    /// every JSON answer.
    static func oauthError(_ error: OAuthError) -> Response {
        struct Body: Encodable {
            var error: String
            var error_description: String
        }
        var response = make(error.status, bytes: encode(Body(error: error.error, error_description: error.description)))
        for (name, value) in error.headers {
            response.headers.set(name, value)
        }
        return response
    }
}

extension HTTPFields {
    /// `HTTPField.Name`, reached through the collection's element type because Hummingbird
    /// re-exports `HTTPFields` but not `HTTPField`.
    typealias FieldName = HTTPFields.Element.Name

    /// Sets a header by its spelled-out name. The names used are constants valid under
    /// RFC 9110 §5.1; an invalid one is skipped rather than crashing a response.
    mutating func set(_ name: String, _ value: String) {
        guard let field = FieldName(name) else { return }
        self[field] = value
    }

    /// The value of the header spelled `name`.
    func value(_ name: String) -> String? {
        FieldName(name).flatMap { self[$0] }
    }
}

extension StringProtocol {
    /// Without leading and trailing tabs and Unicode space separators (Zs) or U+200B: what
    /// Foundation's `trimmingCharacters(in: .whitespaces)` removes, which FoundationEssentials
    /// lacks. For header values (optional white space, RFC 9110 §5.6.3, and a little more).
    func trimmingWhitespaces() -> Substring {
        let scalars = Substring(self).unicodeScalars
        let isWhitespace = { (scalar: Unicode.Scalar) in
            scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhitespace($0) })!
        return Substring(scalars[first...last])
    }
}
