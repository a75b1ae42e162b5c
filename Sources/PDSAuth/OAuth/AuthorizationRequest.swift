#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The browser leg of the authorization-code grant: `GET /v2/oauth/authorize` with the
/// parameters of RFC 6749 §4.1.1 plus PDS's `login_type` (PDS Authorize API, 2022-03-01)
/// and PKCE (RFC 7636 §4.3).
public struct AuthorizationRequest: Sendable {
    public var clientID: String
    public var redirectURI: String
    public var scope: String?
    public var loginType: String
    public var state: String
    public var pkce: PKCE?

    public init(clientID: String, redirectURI: String, scope: String?, loginType: String,
                state: String = SecureRandom.token(bytes: 32), pkce: PKCE? = PKCE()) {
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.loginType = loginType
        self.state = state
        self.pkce = pkce
    }

    public var queryFields: [(String, String)] {
        var fields = [("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI)]
        if let scope, !scope.isEmpty { fields.append(("scope", scope)) }
        fields.append(("state", state))
        if !loginType.isEmpty { fields.append(("login_type", loginType)) }
        if let pkce {
            fields.append(("code_challenge", pkce.challenge))
            fields.append(("code_challenge_method", pkce.method))
        }
        return fields
    }

    /// The authorize URL, keeping any query the endpoint URL already has.
    public func url(endpoint: URL) -> URL {
        let text = endpoint.absoluteString
        let separator = endpoint.query == nil ? "?" : "&"
        return URL(string: text + separator + FormEncoding.encode(queryFields))!
    }
}
