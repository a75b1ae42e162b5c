import Hummingbird
import PDSShared

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
        let formAction: ContentSecurityPolicy.Directive = Self.origin(of: pending.redirectURI)
            .map { .formAction(.self, .uri($0)) } ?? .formAction(.self)
        return renderer.page(.ok, "consent", values, formAction: formAction)
    }

    var values: [String: PageValue] {
        let users: [PageValue] = users.enumerated().map { index, user in
            .object(["userID": .text(user.userID), "userName": .text(user.userName), "nickName": .text(user.nickName),
                     "role": .text(user.role), "selected": .flag(index == 0)])
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
