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
    func page(
        _ status: HTTPResponse.Status, _ template: String, _ values: [String: PageValue],
        formAction: ContentSecurityPolicy.Directive = .formAction(.none)
    ) -> Response {
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

/// The consent page for one pending authorization: who asks (app name and id), for what
/// (scope), where the answer goes (redirect URI) and as whom to sign in. The form posts an
/// opaque pending id, the chosen user and the decision; nothing else from the page is
/// trusted.
struct ConsentPage: Sendable {
    var pending: PendingAuthorization
    var pendingID: String
    var domainID: String
    var users: [DevUser]
    var expiresIn: Int

    func response(renderer: PageRenderer) -> Response {
        // The form posts here; browsers apply `form-action` to the redirect that answers it too.
        let formAction: ContentSecurityPolicy.Directive =
            Self.origin(of: pending.redirectURI)
            .map { .formAction(.self, .uri($0)) } ?? .formAction(.self)
        return renderer.page(.ok, "consent", values, formAction: formAction)
    }

    var values: [String: PageValue] {
        let users: [PageValue] = users.enumerated().map { index, user in
            .object([
                "userID": .text(user.userID), "userName": .text(user.userName), "nickName": .text(user.nickName),
                "role": .text(user.role), "selected": .flag(index == 0),
            ])
        }
        return [
            "appName": .text(pending.app.name), "clientID": .text(pending.app.clientID), "domainID": .text(domainID),
            "scopes": .list(pending.scopes.map(PageValue.text)), "redirectURI": .text(pending.redirectURI),
            "pkce": .flag(pending.codeChallenge != nil), "requestID": .text(pendingID), "users": .list(users),
            "expiresIn": .text(String(expiresIn)),
        ]
    }

    /// `scheme://host[:port]` of a registered redirect URI, for `form-action`; nil when it
    /// holds anything that could break out of a CSP source expression.
    static func origin(of uri: String) -> String? {
        guard let schemeEnd = uri.firstRange(of: "://") else { return nil }
        let scheme = uri[..<schemeEnd.lowerBound].lowercased()
        let rest = uri[schemeEnd.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard scheme == "http" || scheme == "https", !authority.isEmpty, authority.allSatisfy(allowed.contains) else {
            return nil
        }
        return "\(scheme)://\(authority)"
    }
}

/// A page that reports a problem to the person in the browser instead of redirecting:
/// RFC 6749 §4.1.2.1 forbids redirecting when the client or redirect URI cannot be trusted,
/// and a decision without a pending request has nowhere to go.
struct ProblemPage: Error, Sendable {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    /// An OAuth error code (RFC 6749 §4.1.2.1) or a short name for the problem.
    var code: String
    var hint: String?

    func response(renderer: PageRenderer) -> Response {
        renderer.page(status, "problem", values)
    }

    var values: [String: PageValue] {
        var values: [String: PageValue] = ["title": .text(title), "message": .text(message), "code": .text(code)]
        if let hint { values["hint"] = .text(hint) }
        return values
    }
}
