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
