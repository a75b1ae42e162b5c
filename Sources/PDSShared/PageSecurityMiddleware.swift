import HTTPTypes
import Hummingbird

/// The headers every page of pds-auth's servers carries, whatever answered the request:
/// - `Content-Security-Policy`: the page's own when it set one, else `defaultPolicy`;
/// - `Referrer-Policy: no-referrer`: a redirect URL carries the authorization code
///   (RFC 6749 §10.5), and no page may leak it to another site;
/// - `Cache-Control: no-store`: pages hold single-use values and tokens (RFC 6749 §5.1);
/// - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (clickjacking, RFC 6749
///   §10.13) and `Cross-Origin-Resource-Policy: same-origin`.
package struct PageSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    let defaultPolicy: String

    package init(defaultPolicy: ContentSecurityPolicy) {
        self.defaultPolicy = defaultPolicy.description
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        SecurityHeaders.apply(to: &response.headers, defaultPolicy: defaultPolicy)
        return response
    }

}

/// The headers themselves, for responses built outside a middleware chain.
package enum SecurityHeaders {
    // Not among HTTPTypes' predefined names; both are valid tokens (RFC 9110 §5.1).
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    package static func apply(to headers: inout HTTPFields, defaultPolicy: String) {
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = defaultPolicy }
        headers[.cacheControl] = "no-store"
        headers[referrerPolicy] = "no-referrer"
        headers[.xContentTypeOptions] = "nosniff"
        headers[frameOptions] = "DENY"
        headers[.crossOriginResourcePolicy] = "same-origin"
    }
}

/// An HTML page as a response; the security headers are added by ``PageSecurityMiddleware``.
package enum HTMLPage {
    package static func response(_ status: HTTPResponse.Status, _ html: String, includeBody: Bool = true,
                                policy: ContentSecurityPolicy? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        if let policy { headers[.contentSecurityPolicy] = policy.description }
        let bytes = ByteBuffer(string: html)
        headers[.contentLength] = String(bytes.readableBytes)
        return Response(status: status, headers: headers, body: includeBody ? .init(byteBuffer: bytes) : .init())
    }
}
