import Crypto
import FoundationEssentials
import HTTPTypes
import Hummingbird

/// Renders HTML pages from the Mustache templates in `Public/`, which the EmbedPublic build
/// plugin compiles into Swift (`CompiledTemplates`), so no template engine runs here. Every
/// dynamic value goes through `{{…}}`, which HTML-escapes it (quotes included, so attribute
/// values are safe too); only the folder's static stylesheet and optional script are inlined
/// raw, and ``contentSecurityPolicy(formAction:)`` admits exactly those two by SHA-256 hash,
/// so no other script or style can run and nothing loads from elsewhere.
package struct PageRenderer: Sendable {
    private let folder: String
    private let style: String
    private let script: String?
    private let constants: [String: PageValue]

    /// - Parameters:
    ///   - folder: the folder under `Public/` (`""` for the listener's pages, `"dev-server/"`).
    ///   - templates: template names in that folder, without `.mustache`.
    ///   - script: a script file in that folder to inline on pages that ask for `{{{script}}}`.
    ///   - constants: values every page may use (the version, say).
    package init(
        folder: String, templates: [String], script: String? = nil,
        constants: [String: String] = [:]
    ) throws(PageRendererError) {
        for name in templates where !CompiledTemplates.names.contains(folder + name) {
            throw .missingAsset(folder + name + ".mustache")
        }
        self.folder = folder
        self.style = try Self.asset(folder + "style.css")
        self.script = try script.map { name throws(PageRendererError) in try Self.asset(folder + name) }
        self.constants = constants.mapValues(PageValue.text)
    }

    static func asset(_ path: String) throws(PageRendererError) -> String {
        guard let text = PublicAssets.files[path] else { throw .missingAsset(path) }
        return text
    }

    /// Renders `template` with `values` plus the stylesheet, the script and the constants.
    package func render(_ template: String, _ values: [String: PageValue]) -> String {
        var page = PageWriter(context(values))
        return CompiledTemplates.render(folder + template, into: &page) ? page.html : ""
    }

    /// Everything `template` sees: the constants, then `values`, then the stylesheet and script.
    package func context(_ values: [String: PageValue]) -> [String: PageValue] {
        var context = constants
        context.merge(values) { _, new in new }
        context["style"] = .text(style)
        if let script { context["script"] = .text(script) }
        return context
    }

    /// `default-src 'none'` blocks everything not listed: no other script or style, no
    /// images, no connections, no frames. `formAction` lists where a form may go; browsers
    /// apply it to the redirect that answers the form too.
    package func contentSecurityPolicy(formAction: ContentSecurityPolicy.Directive = .formAction(.none)) -> ContentSecurityPolicy {
        let styles = ContentSecurityPolicy.Directive.styleSrc(.hash(.sha256, base64: Self.digest(style)))
        guard let script else {
            return [.defaultSrc(.none), styles, .baseURI(.none), formAction, .frameAncestors(.none)]
        }
        let scripts = ContentSecurityPolicy.Directive.scriptSrc(.hash(.sha256, base64: Self.digest(script)))
        return [.defaultSrc(.none), styles, scripts, .baseURI(.none), formAction, .frameAncestors(.none)]
    }

    /// The base64 SHA-256 of `text`, as CSP hash sources name inline content (CSP3 §2.3.1).
    package static func digest(_ text: String) -> String {
        Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString()
    }

    /// The templates compiled into this build, by path under `Public/` without `.mustache`.
    package static var compiledTemplates: Set<String> { CompiledTemplates.names }

    /// The text of a file under `Public/`, for tests that compare what is inlined.
    package static func publicFile(_ path: String) -> String? {
        try? asset(path)
    }
}

/// A page template or asset that this build lacks: a packaging bug.
package enum PageRendererError: Error, Sendable, Equatable {
    case missingAsset(String)
}

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
    package static func response(
        _ status: HTTPResponse.Status, _ html: String, includeBody: Bool = true,
        policy: ContentSecurityPolicy? = nil
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        if let policy { headers[.contentSecurityPolicy] = policy.description }
        let bytes = ByteBuffer(string: html)
        headers[.contentLength] = String(bytes.readableBytes)
        return Response(status: status, headers: headers, body: includeBody ? .init(byteBuffer: bytes) : .init())
    }
}
