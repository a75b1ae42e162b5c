import Crypto
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

    package init(
        clientID: String, redirectURI: String, scope: String?, domainID: String?, loginType: String?,
        state: String = SecureRandom.token(bytes: 32), pkce: PKCE? = PKCE()
    ) {
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

/// The loopback redirect URI the listener serves (RFC 8252 §7.3): the exact text sent to
/// the provider (which compares it byte for byte), plus the host, port and path to serve.
public struct RedirectTarget: Sendable, Equatable {
    /// The URI exactly as given: sent as `redirect_uri` and compared byte for byte.
    public var uri: String
    /// Host as written, without IPv6 brackets: `127.0.0.1`, `::1` or `localhost`.
    public var host: String
    /// 0 means "any free port", resolved when the listener binds.
    public var port: Int
    /// The path the callback arrives on; `/` when the URI has none.
    public var path: String

    /// The redirect URI used unless one is given (register it on the app).
    public static let defaultURI = "http://127.0.0.1:8765/callback"

    /// Parses a loopback redirect URI: plain `http` to a loopback host (`127.0.0.1`, `[::1]`,
    /// `localhost`), a port (0 for any free one, 80 when none is written) and a path
    /// (RFC 8252 §7.3); anything else is `invalidRedirectURI`.
    public init(parsing text: String) throws(PDSAuthError) {
        let shown = Redaction.terminalSafe(text, limit: 200)
        guard text.utf8.count <= 2048, let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI \"\(shown)\" cannot be parsed")
        }
        guard components.scheme?.lowercased() == "http" else {
            throw PDSAuthError(
                .invalidRedirectURI, "The redirect URI \"\(shown)\" must use http: the listener is a plain-http loopback server (RFC 8252 §7.3)")
        }
        let bare = LoopbackHost.unbracketed(host)
        guard LoopbackHost.isLoopback(bare) else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI host \"\(Redaction.terminalSafe(bare, limit: 100))\" is not a loopback address")
        }
        guard components.fragment == nil, components.user == nil, components.password == nil else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI \"\(shown)\" must not have a fragment or credentials (RFC 6749 §3.1.2)")
        }
        let port = components.port ?? 80
        guard (0...65535).contains(port) else {
            throw PDSAuthError(.invalidRedirectURI, "The redirect URI \"\(shown)\" has no valid port (0–65535)")
        }
        self.uri = text
        self.host = bare
        self.port = port
        self.path = components.path.isEmpty ? "/" : components.path
    }

    /// The same target on `port` (the port the listener actually bound), with the URI
    /// rewritten only when it asked for port 0.
    public func bound(to port: Int) -> RedirectTarget {
        var bound = self
        bound.port = port
        if var components = URLComponents(string: uri), components.port == 0 {
            components.port = port
            bound.uri = components.string ?? uri
        }
        return bound
    }

    /// `http://host:port`, the origin the listener's pages are served from.
    public var origin: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }
}

/// The mix-up defence of RFC 9207 (RFC 9700 §4.4): an authorization response names the
/// server that issued it in `iss`, and a client that knows which issuer it sent the user to
/// compares the two, exactly (RFC 9207 §2.4), before it uses the code or the error. Without
/// this, a code from one server could be sent to another server's token endpoint (or a
/// forged error believed) when the user was sent to a server that is not the one expected.
package enum AuthorizationResponseIssuer: Sendable, Equatable {
    /// Nothing to object to.
    case accepted
    /// The issuer says its redirects carry `iss`, and this one does not.
    case missing
    /// `iss` names another issuer.
    case mismatch

    /// - Parameters:
    ///   - received: the redirect's `iss`, if any.
    ///   - endpoints: the profile's endpoints: `issuer` (known only when discovered) and
    ///     whether its metadata advertised `iss`.
    ///
    /// Without a known issuer (PDS, endpoints typed by hand) there is nothing to compare
    /// with, and `iss` is not looked at. With one, an `iss` that is present must equal it
    /// whether or not the metadata advertised it; an absent one is refused only when it
    /// was advertised (RFC 9207 §2.4).
    package static func check(_ received: String?, against endpoints: ProviderEndpoints) -> AuthorizationResponseIssuer {
        guard let issuer = endpoints.issuer else { return .accepted }
        guard let received else { return endpoints.issParameterSupported ? .missing : .accepted }
        return received == issuer ? .accepted : .mismatch
    }
}

/// Proof Key for Code Exchange, S256 only (RFC 7636 §4.1–4.2): a 256-bit random verifier
/// and its SHA-256 challenge.
package struct PKCE: Sendable, Equatable {
    package let verifier: String
    package let challenge: String
    package let method = "S256"

    package init(verifier: String = SecureRandom.token(bytes: 32)) {
        self.verifier = verifier
        self.challenge = Base64URL.encode(SHA256.hash(data: Array(verifier.utf8)))
    }
}
