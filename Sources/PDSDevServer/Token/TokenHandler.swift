import Hummingbird

/// `POST /v2/oauth/token` (PDS Token API, RFC 6749 §3.2): counts the request, applies an
/// injected fault if one is armed, then dispatches on `grant_type`.
struct TokenHandler: Sendable {
    let state: DevServerState

    /// Every parameter a token request may carry; none may appear twice (RFC 6749 §3.2).
    static let parameters = ["domain_id", "grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "assertion", "scope"]

    func respond(to request: Request, context: DevServerRequestContext) async -> Response {
        let fields: Result<FormFields, PDSError>
        do {
            fields = .success(try await BodyReader.form(request, context: context))
        } catch {
            fields = .failure(error)
        }
        let grantType = GrantTypeKey(try? fields.get()["grant_type"])
        await state.statistics.tokenRequest(grantType)
        let fault = await state.faults.take()
        if let fault, let replaced = await FaultInjection(fault: fault, context: context).replacement() {
            return replaced
        }
        var response: Response
        do {
            let body = try await tokens(fields.get(), grantType: grantType, authorization: request.headers[.authorization])
            await state.statistics.tokenSuccess(grantType)
            response = JSONResponse.ok(body)
        } catch {
            state.logger.notice("Token request refused", metadata: ["code": "\(error.code.rawValue)", "reason": "\(error.message)"])
            // Rendered here, not thrown: a slowed body (below) slows refusals too.
            response = JSONResponse.error(error, requestID: context.requestID)
        }
        if case .slowBody(let rate) = fault {
            response = ThrottledBodyWriter.throttle(response, bytesPerSecond: rate)
        }
        return response
    }

    private func tokens(_ fields: FormFields, grantType: GrantTypeKey, authorization: String?) async throws(PDSError) -> TokenResponseBody {
        if let repeated = fields.firstRepeated(among: Self.parameters) { throw .repeated(repeated) }
        switch grantType {
        case .authorizationCode:
            let app = try await admit(fields, authorization: authorization, policy: .required)
            return try await authorizationCode(fields, app: app)
        case .refreshToken:
            let app = try await admit(fields, authorization: authorization, policy: .required)
            return try await refreshToken(fields, app: app)
        case .jwtBearer:
            let app = try await admit(fields, authorization: authorization, policy: .optional)
            return try await jwtBearer(fields, app: app)
        case .missing:
            throw .missing("grant_type")
        case .unsupported:
            throw PDSError(.grantType, "Unsupported grant_type; use authorization_code, refresh_token or \(GrantTypeKey.jwtBearer.rawValue)")
        }
    }

    /// The domain, then the client, before the grant is looked at: a request for another
    /// domain (PDS Token API, 2026 revision) or from an unauthenticated client must not
    /// spend a code or rotate a refresh token. Then the server's keys, which may still be
    /// being made: a server whose keys could not be made must not spend one either.
    private func admit(_ fields: FormFields, authorization: String?, policy: ClientAuthenticator.SecretPolicy) async throws(PDSError) -> DevApp {
        try state.configuration.checkDomainID(fields)
        let app = try ClientAuthenticator(apps: state.apps).authenticate(fields, authorization: authorization, policy: policy)
        _ = try await state.keys.generated()
        return app
    }
}

/// The `grant_type` values of RFC 6749 §4.1.3 and §6 and RFC 7523 §2.1, plus the buckets
/// statistics use for anything else (a client cannot grow the table with invented values).
enum GrantTypeKey: String, Sendable {
    case authorizationCode = "authorization_code"
    case refreshToken = "refresh_token"
    case jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    case unsupported
    case missing

    init(_ value: String?) {
        guard let value else {
            self = .missing
            return
        }
        switch value {
        case Self.authorizationCode.rawValue: self = .authorizationCode
        case Self.refreshToken.rawValue: self = .refreshToken
        case Self.jwtBearer.rawValue: self = .jwtBearer
        default: self = .unsupported
        }
    }
}

extension TokenHandler {
    /// RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.5-4.6). The code is spent as soon as it is
    /// presented (see ``AuthorizationCodes``); a replay revokes what the code issued.
    func authorizationCode(_ fields: FormFields, app: DevApp) async throws(PDSError) -> TokenResponseBody {
        guard let value = fields["code"] else { throw .missing("code") }
        guard let redirectURI = fields["redirect_uri"] else { throw .missing("redirect_uri") }
        let code: AuthorizationCode
        switch await state.codes.redeem(value, now: state.clock.now()) {
        case .valid(let valid):
            code = valid
        case .unknown:
            throw PDSError(.code, "The authorization code is unknown")
        case .expired:
            throw PDSError(.code, "The authorization code has expired")
        case .replayed(let grantID):
            await state.refreshTokens.revokeGrant(grantID)
            throw PDSError(.code, "The authorization code was already used; tokens issued from it are revoked (RFC 6749 §4.1.2)")
        }
        guard code.grant.clientID == app.clientID else {
            throw PDSError(.code, "The authorization code was issued to another app")
        }
        guard code.redirectURI == redirectURI else {
            throw PDSError(.redirectURI, "redirect_uri differs from the one in the authorization request")
        }
        try checkVerifier(fields["code_verifier"], challenge: code.codeChallenge)
        let refreshToken = await state.refreshTokens.issue(for: code.grant)
        return try await TokenIssuer(state: state).response(for: code.grant, refreshToken: refreshToken)
    }

    /// RFC 7636 §4.6. A verifier without a challenge is refused too: it means the client
    /// believes it used PKCE when the server never saw a challenge (a downgrade).
    private func checkVerifier(_ verifier: String?, challenge: String?) throws(PDSError) {
        switch (challenge, verifier) {
        case (nil, nil):
            return
        case (nil, .some):
            throw PDSError(.codeVerifier, "code_verifier was sent but the authorization request had no code_challenge")
        case (.some, nil):
            throw PDSError(.codeVerifier, "code_verifier is required: the authorization request had a code_challenge")
        case (.some(let challenge), .some(let verifier)):
            guard PKCE.isWellFormed(verifier) else {
                throw PDSError(.codeVerifier, "code_verifier must be 43-128 unreserved characters (RFC 7636 §4.1)")
            }
            guard PKCE.verify(verifier: verifier, challenge: challenge) else {
                throw PDSError(.codeVerifier, "code_verifier does not match the code_challenge")
            }
        }
    }
}

extension TokenHandler {
    /// RFC 6749 §6 with rotation (PDS Token API: every refresh returns a new refresh token
    /// and the presented one is dead).
    func refreshToken(_ fields: FormFields, app: DevApp) async throws(PDSError) -> TokenResponseBody {
        guard let token = fields["refresh_token"] else { throw .missing("refresh_token") }
        switch await state.refreshTokens.rotate(token, clientID: app.clientID) {
        case .rotated(let grant, let newToken):
            return try await TokenIssuer(state: state).response(for: grant, refreshToken: newToken)
        case .unknown:
            throw PDSError(.refreshToken, "The refresh token is unknown")
        case .dead(.rotated):
            throw PDSError(.refreshToken, "The refresh token was already used: refresh tokens rotate, use the newest one")
        case .dead(.revoked):
            throw PDSError(.refreshToken, "The refresh token has been revoked")
        case .wrongClient:
            throw PDSError(.refreshToken, "The refresh token was issued to another app")
        }
    }
}

extension TokenHandler {
    /// RFC 7523 §2.1 as PDS JWT apps use it: `client_id` and `assertion`; the answer has no
    /// refresh token, the app asserts again when the access token expires.
    func jwtBearer(_ fields: FormFields, app: DevApp) async throws(PDSError) -> TokenResponseBody {
        guard app.usesJWTBearer else {
            throw PDSError(.forbidden, "The app \(app.clientID) is not a JWT app and may not use the JWT-bearer grant")
        }
        guard let assertion = fields["assertion"] else { throw .missing("assertion") }
        let subject = try await AssertionVerifier(state: state).verify(assertion, app: app)
        let user: DevUser
        switch subject {
        case .user(let named):
            user = named
        case .service:
            let domain = state.configuration.domainID
            user = DevUser(userID: domain, userName: "service", nickName: "Service account", role: "superadmin", defaultDriveID: "")
        }
        let grant = Grant(clientID: app.clientID, user: user, scopes: PDSScopes.all)
        return try await TokenIssuer(state: state).response(for: grant, refreshToken: nil)
    }
}
