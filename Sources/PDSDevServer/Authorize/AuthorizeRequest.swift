import Crypto
import PDSShared

/// A parsed `GET /v2/oauth/authorize` (RFC 6749 §4.1.1, RFC 7636 §4.3, PDS Authorize API).
///
/// Parsing happens in two stages because RFC 6749 §4.1.2.1 treats errors differently:
/// a bad `client_id` or `redirect_uri` is told to the person in the browser
/// (``trustedTarget(_:apps:)`` throws a ``ProblemPage``), while every other error goes
/// back to the verified redirect URI (``validate(_:app:)`` throws an ``AuthorizeError``).
enum AuthorizeRequest {
    /// PDS Authorize API, 2022-03-01: the sign-in methods `login_type` may name.
    static let loginTypes: Set<String> = ["default", "ding", "ding_sns", "ram", "wechat", "wechat_app"]

    /// The app and the redirect URI, which must equal one registered for it exactly:
    /// no prefix, case or normalisation tolerance (RFC 6749 §3.1.2.3, OAuth 2.0 Security
    /// BCP §4.1.3).
    static func trustedTarget(_ fields: FormFields, apps: [String: DevApp], anyLoopbackPort: Bool = false) throws(ProblemPage) -> (DevApp, String) {
        if let repeated = fields.firstRepeated(among: ["client_id", "redirect_uri"]) {
            throw problem("The parameter \(repeated) appears more than once.", code: "invalid_request")
        }
        guard let clientID = fields["client_id"] else {
            throw problem("The request names no app: client_id is missing.", code: "invalid_request")
        }
        guard let app = apps[clientID] else {
            throw problem("No app with the client id \(clientID) is registered on this server.", code: "invalid_client")
        }
        guard let redirectURI = fields["redirect_uri"] else {
            throw problem("The request has no redirect_uri.", code: "invalid_request")
        }
        guard
            app.redirectURIs.contains(redirectURI)
                || anyLoopbackPort && app.redirectURIs.contains(where: { LoopbackRedirect.samePortless($0, redirectURI) })
        else {
            throw problem("\(redirectURI) is not a redirect URI registered for \(app.name).", code: "invalid_redirect_uri")
        }
        return (app, redirectURI)
    }

    private static func problem(_ message: String, code: String) -> ProblemPage {
        ProblemPage(
            status: .badRequest, title: "This sign-in request cannot be answered", message: message, code: code,
            hint: "The app was not sent back to its redirect URI because it could not be trusted with the answer (RFC 6749 §4.1.2.1).")
    }

    /// The remaining checks, for a request whose client and redirect URI are trusted, so
    /// every refusal goes back on the redirect (RFC 6749 §4.1.2.1). Returns the granted
    /// scopes and the PKCE challenge.
    static func validate(
        _ fields: FormFields, app: DevApp, configuration: DevServerConfiguration
    ) throws(AuthorizeError) -> (scopes: [String], challenge: String?) {
        let names = ["domain_id", "response_type", "scope", "state", "login_type", "hide_consent", "code_challenge", "code_challenge_method"]
        if let repeated = fields.firstRepeated(among: names) {
            throw .invalidRequest("The parameter \(repeated) appears more than once (RFC 6749 §3.1)")
        }
        do {
            try configuration.checkDomainID(fields)
        } catch {
            throw .invalidRequest(error.message)
        }
        guard let responseType = fields["response_type"] else { throw .invalidRequest("response_type is required") }
        guard responseType == "code" else {
            throw AuthorizeError(error: "unsupported_response_type", description: "Only response_type=code is supported")
        }
        guard let scopes = PDSScopes.resolve(fields["scope"]) else {
            throw AuthorizeError(error: "invalid_scope", description: "The scope names a scope PDS does not know; request all")
        }
        if let loginType = fields["login_type"], !loginTypes.contains(loginType) {
            throw .invalidRequest("login_type must be one of \(loginTypes.sorted().joined(separator: ", "))")
        }
        if let hide = fields["hide_consent"], hide != "true", hide != "false" {
            throw .invalidRequest("hide_consent must be true or false")
        }
        return (scopes, try challenge(fields, app: app))
    }

    /// RFC 7636 §4.3 and §4.4.1. Only S256: `plain` (also the default when the method is
    /// omitted) protects nothing once the request is seen. A public client must send a
    /// challenge, as it has no secret to prove the code is its own (RFC 8252 §8.1).
    private static func challenge(_ fields: FormFields, app: DevApp) throws(AuthorizeError) -> String? {
        let method = fields["code_challenge_method"]
        guard let challenge = fields["code_challenge"] else {
            if method != nil { throw .invalidRequest("code_challenge_method was sent without code_challenge") }
            if app.clientSecret == nil {
                throw .invalidRequest("code_challenge is required: this app has no client secret (RFC 7636, RFC 8252 §8.1)")
            }
            return nil
        }
        guard method == "S256" else {
            throw .invalidRequest("code_challenge_method must be S256 (got \(method ?? "none, which means plain"))")
        }
        guard PKCE.isWellFormed(challenge) else {
            throw .invalidRequest("code_challenge must be 43-128 unreserved characters (RFC 7636 §4.2)")
        }
        return challenge
    }
}

/// An error sent to the client's redirect URI (RFC 6749 §4.1.2.1).
struct AuthorizeError: Error, Sendable, Equatable {
    /// `invalid_request`, `unsupported_response_type`, `invalid_scope` or `access_denied`.
    var error: String
    var description: String

    static func invalidRequest(_ description: String) -> AuthorizeError {
        AuthorizeError(error: "invalid_request", description: description)
    }
}

/// The scopes PDS knows (PDS guides: scopes). PDS lets an app request only `all` today (or
/// omit the scope); named scopes are accepted too so a client may be explicit.
enum PDSScopes {
    /// What `all` (or no scope) grants.
    static let all = [
        "FILE.ALL", "USER.ALL", "DRIVE.ALL", "SHARE.ALL", "STORAGE.ALL", "STORAGEFILE.ALL",
        "ACCOUNT.ALL", "OAUTH.ALL",
    ]
    /// Named scopes seen in PDS documentation and tokens.
    static let known: Set<String> = Set(all).union(["VIEW.ALL", "IMAGE.ALL", "INVITE.ALL", "BATCH", "STORAGEFILE.LIST"])

    /// The scopes granted for a `scope` parameter, a space-delimited list (RFC 6749 §3.3);
    /// nil when it names a scope PDS does not know (`invalid_scope`, RFC 6749 §4.1.2.1).
    static func resolve(_ requested: String?) -> [String]? {
        guard let requested else { return all }
        let names = requested.split(separator: " ").map(String.init)
        if names.contains("all") { return names.allSatisfy { $0 == "all" || known.contains($0) } ? all : nil }
        guard !names.isEmpty, names.allSatisfy(known.contains) else { return nil }
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        return unique
    }
}

/// RFC 8252 §7.3: for loopback IP redirect URIs, the port is chosen by the native app at
/// request time, so a server may ignore it when comparing against the registration.
enum LoopbackRedirect {
    /// True when both are `http://` loopback-IP URIs equal except for the port.
    static func samePortless(_ registered: String, _ requested: String) -> Bool {
        guard let a = parts(registered), let b = parts(requested) else { return false }
        return a.host == b.host && a.rest == b.rest
    }

    private static func parts(_ uri: String) -> (host: String, rest: Substring)? {
        guard uri.hasPrefix("http://") else { return nil }
        let afterScheme = uri.dropFirst("http://".count)
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let host: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
        } else {
            host = authority.split(separator: ":", maxSplits: 1).first ?? authority
        }
        // Only IP literals: RFC 8252 §8.3 discourages `localhost` redirects.
        guard host == "[::1]" || host.hasPrefix("127.") else { return nil }
        return (String(host), afterScheme[authorityEnd...])
    }
}

/// Proof Key for Code Exchange, S256 only (RFC 7636).
enum PKCE {
    /// RFC 7636 §4.1 and §4.2: 43 to 128 characters of `ALPHA / DIGIT / "-" / "." / "_" / "~"`,
    /// the grammar of both verifiers and challenges.
    static func isWellFormed(_ value: String) -> Bool {
        (43...128).contains(value.utf8.count) && value.utf8.allSatisfy(FormEncoding.isUnreserved)
    }

    /// RFC 7636 §4.2: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
    static func s256Challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Array(verifier.utf8)))
    }

    /// RFC 7636 §4.6: the server recomputes the challenge from the verifier and compares.
    static func verify(verifier: String, challenge: String) -> Bool {
        ConstantTime.equals(s256Challenge(for: verifier), challenge)
    }
}
