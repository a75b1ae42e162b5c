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
        let users: [[String: Any]] = users.enumerated().map { index, user in
            ["userID": user.userID, "userName": user.userName, "nickName": user.nickName,
             "role": user.role, "selected": index == 0]
        }
        let values: [String: Any] = [
            "appName": pending.app.name, "clientID": pending.app.clientID, "domainID": domainID,
            "scopes": pending.scopes, "redirectURI": pending.redirectURI, "pkce": pending.codeChallenge != nil,
            "requestID": pendingID, "users": users, "expiresIn": expiresIn,
        ]
        // The form posts here; browsers apply `form-action` to the redirect that answers it too.
        let formAction: ContentSecurityPolicy.Directive = Self.origin(of: pending.redirectURI)
            .map { .formAction(.self, .uri($0)) } ?? .formAction(.self)
        return renderer.page(.ok, "consent", values, formAction: formAction)
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
