import Hummingbird
import PDSShared

/// The dev server's pages (`Public/dev-server/`, no script) and browser redirects, with the
/// headers every page of pds-auth's servers carries (``SecurityHeaders``): no caching (the
/// consent page holds a single-use id), no referrer (a redirect URL holds the code, RFC 6749
/// §10.5), no framing (clickjacking of the approve button, RFC 6749 §10.13). Each page
/// carries them itself rather than through ``PageSecurityMiddleware``: a ``ProblemPage`` is
/// thrown past its route and rendered by ``ErrorMiddleware``, outside any route group.
extension PageRenderer {
    static func devServer() throws(DevServerError) -> PageRenderer {
        do {
            return try PageRenderer(folder: "dev-server/", templates: ["consent", "problem"])
        } catch {
            switch error {
            case .missingAsset(let path): throw .missingPageTemplate(path)
            }
        }
    }

    /// `template` rendered with `values`, under a policy whose `formAction` lists where the
    /// page's form may go.
    func page(_ status: HTTPResponse.Status, _ template: String, _ values: [String: PageValue],
              formAction: ContentSecurityPolicy.Directive = .formAction(.none)) -> Response {
        let policy = contentSecurityPolicy(formAction: formAction)
        var response = HTMLPage.response(status, render(template, values), policy: policy)
        SecurityHeaders.apply(to: &response.headers, defaultPolicy: policy.description)
        return response
    }

    /// A 302 to `location`: RFC 6749 §4.1.2 sends the code or error back this way. It shows
    /// nothing, so it carries the strictest page policy.
    func redirect(to location: String) -> Response {
        var response = Response(status: .found, headers: [.location: location, .contentLength: "0"], body: .init())
        SecurityHeaders.apply(to: &response.headers, defaultPolicy: contentSecurityPolicy().description)
        return response
    }
}
