import HTTPTypes
import Hummingbird

/// Builds every listener response: HTML with the security headers all pages carry.
/// `Referrer-Policy: no-referrer` matters most: the callback URL holds the code.
public enum PageResponse {
    public static func html(_ status: HTTPResponse.Status, _ body: String, csp: String, includeBody: Bool = true) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = csp
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        let bytes = ByteBuffer(string: body)
        headers[.contentLength] = String(bytes.readableBytes)
        return Response(status: status, headers: headers, body: includeBody ? .init(byteBuffer: bytes) : .init())
    }
}
