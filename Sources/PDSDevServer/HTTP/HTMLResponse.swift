import Hummingbird

/// HTML pages and browser redirects, with the headers every page of this server carries:
/// a strict Content-Security-Policy, no caching (the consent page holds a single-use id),
/// no referrer (a redirect URL holds the code, RFC 6749 §10.5) and no framing
/// (clickjacking of the approve button, RFC 6749 §10.13).
enum HTMLResponse {
    static func page(_ status: HTTPResponse.Status, _ html: String, csp: String) -> Response {
        var headers = securityHeaders()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = csp
        let bytes = ByteBuffer(string: html)
        headers[.contentLength] = String(bytes.readableBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
    }

    /// A 302 to `location`: RFC 6749 §4.1.2 sends the code or error back this way.
    static func redirect(to location: String) -> Response {
        var headers = securityHeaders()
        headers[.location] = location
        headers[.contentLength] = "0"
        return Response(status: .found, headers: headers, body: .init())
    }

    private static func securityHeaders() -> HTTPFields {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers.set("Pragma", "no-cache")
        headers.set("Referrer-Policy", "no-referrer")
        headers.set("X-Content-Type-Options", "nosniff")
        headers.set("X-Frame-Options", "DENY")
        return headers
    }
}
