/// The redirect that answers an authorize request (RFC 6749 §4.1.2 and §4.1.2.1): the
/// parameters are added to the registered redirect URI, keeping any query it already has
/// (RFC 6749 §3.1.2), and `state` is echoed exactly when the client sent one.
struct AuthorizeRedirect: Sendable {
    var redirectURI: String
    var state: String?

    func success(code: String) -> String {
        location([("code", code)])
    }

    func error(_ error: AuthorizeError) -> String {
        location([("error", error.error), ("error_description", error.description)])
    }

    private func location(_ fields: [(String, String)]) -> String {
        var fields = fields
        if let state { fields.append(("state", state)) }
        let separator: String
        if !redirectURI.contains("?") {
            separator = "?"
        } else {
            separator = redirectURI.hasSuffix("?") || redirectURI.hasSuffix("&") ? "" : "&"
        }
        return redirectURI + separator + FormEncoding.encode(fields)
    }
}
