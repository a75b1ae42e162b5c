import FoundationEssentials
import PDSShared

/// The browser leg of the authorization-code grant: `GET /v2/oauth/authorize` with the
/// parameters of RFC 6749 §4.1.1, PKCE (RFC 7636 §4.3), and for PDS its `domain_id` (2026
/// Authorize reference, listed first and required) and `login_type` (2022-03-01 reference).
package struct AuthorizationRequest: Sendable {
    package var clientID: String
    package var redirectURI: String
    package var scope: String?
    /// Sent when known; a generic provider gets it only when the user named a domain.
    package var domainID: String?
    /// PDS's sign-in method; nil for generic providers unless the user asked for one.
    package var loginType: String?
    package var state: String
    package var pkce: PKCE?

    package init(clientID: String, redirectURI: String, scope: String?, domainID: String?, loginType: String?,
                state: String = SecureRandom.token(bytes: 32), pkce: PKCE? = PKCE()) {
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.domainID = domainID
        self.loginType = loginType
        self.state = state
        self.pkce = pkce
    }

    package var queryFields: [(String, String)] {
        var fields: [(String, String)] = []
        if let domainID, !domainID.isEmpty { fields.append(("domain_id", domainID)) }
        fields += [("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI)]
        if let scope, !scope.isEmpty { fields.append(("scope", scope)) }
        fields.append(("state", state))
        if let loginType, !loginType.isEmpty { fields.append(("login_type", loginType)) }
        if let pkce {
            fields.append(("code_challenge", pkce.challenge))
            fields.append(("code_challenge_method", pkce.method))
        }
        return fields
    }

    /// The authorize URL, keeping any query the endpoint URL already has.
    package func url(endpoint: URL) -> URL {
        let separator = endpoint.query == nil ? "?" : "&"
        // Every field is percent-encoded to unreserved characters: the result always parses.
        return URL(string: endpoint.absoluteString + separator + FormEncoding.encode(queryFields))!
    }
}
