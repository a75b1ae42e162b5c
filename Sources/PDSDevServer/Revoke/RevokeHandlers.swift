import Hummingbird

/// `POST /v2/account/revoke` with JSON `{"app_id", "refresh_token"}` (PDS account API, as
/// the PDS SDKs sign out). 204 when the token is now dead, also when it was unknown or
/// already dead (RFC 7009 §2.2: "invalid tokens do not cause an error response"). A token
/// issued to another app is refused and stays alive (RFC 7009 §2.1).
struct RevokeHandler: Sendable {
    let state: DevServerState

    struct Body: Decodable {
        var app_id: String?
        var refresh_token: String?
    }

    func respond(to request: Request, context: DevServerRequestContext) async throws(PDSError) -> Response {
        guard let body = try await BodyReader.json(Body.self, request, context: context) else {
            throw PDSError(.invalid, #"The body must be a JSON object {"app_id": "...", "refresh_token": "..."}"#)
        }
        guard let appID = body.app_id, !appID.isEmpty else { throw .missing("app_id") }
        guard let token = body.refresh_token, !token.isEmpty else { throw .missing("refresh_token") }
        await state.statistics.revocation()
        guard state.apps[appID] != nil else { throw PDSError(.appID, "No app with the id \(appID) is registered") }
        switch await state.refreshTokens.revoke(token, appID: appID) {
        case .revoked, .unknown:
            var headers = HTTPFields()
            headers[.cacheControl] = "no-store"
            return Response(status: .noContent, headers: headers)
        case .wrongApp:
            throw PDSError(.appID, "The refresh token was not issued to the app \(appID)")
        }
    }
}

/// `POST /v2/oauth/revoke`: OAuth 2.0 Token Revocation (RFC 7009). Not a PDS API: PDS
/// signs out with `POST /v2/account/revoke` (``RevokeHandler``). It is here for testing
/// clients against generic OAuth servers, and so behaves like one: a form body with `token`
/// and an optional `token_type_hint` (RFC 7009 §2.1), client authentication exactly as at
/// the token endpoint (RFC 6749 §2.3: `client_id` and `client_secret` in the body or HTTP
/// Basic; public apps send only `client_id`), and errors in the RFC 6749 §5.2 shape
/// (RFC 7009 §2.2.1).
///
/// Revoking a refresh token or an access token ends its whole grant, so every token issued
/// for it dies (RFC 7009 §2.1: the server should, and may, revoke the related tokens). A
/// token that is unknown, expired or already dead is answered 200 like a revoked one
/// (RFC 7009 §2.2); a token issued to another client is refused and stays alive (RFC 7009
/// §2.1).
struct TokenRevocationHandler: Sendable {
    let state: DevServerState

    /// None may appear twice (RFC 6749 §3.2, which RFC 7009 §2.1 builds on).
    static let parameters = ["token", "token_type_hint"]

    enum TokenKind: Sendable {
        case refresh, access
    }

    func respond(to request: Request, context: DevServerRequestContext) async throws(OAuthError) -> Response {
        do {
            try await revoke(request, context: context)
        } catch {
            state.logger.notice("Token revocation refused", metadata: ["error": "\(error.error)", "reason": "\(error.description)"])
            throw error
        }
        // RFC 7009 §2.2: 200, and the client ignores the body, so there is none.
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers.set("Pragma", "no-cache")
        headers[.contentLength] = "0"
        return Response(status: .ok, headers: headers, body: .init())
    }

    private func revoke(_ request: Request, context: DevServerRequestContext) async throws(OAuthError) {
        let fields: FormFields
        do {
            fields = try await BodyReader.form(request, context: context)
        } catch {
            throw OAuthError(error)
        }
        if let repeated = fields.firstRepeated(among: Self.parameters) { throw OAuthError(.repeated(repeated)) }
        guard let token = fields["token"] else { throw OAuthError(.missing("token")) }
        await state.statistics.revocation()
        let app: DevApp
        do {
            app = try ClientAuthenticator(apps: state.apps).authenticate(fields, authorization: request.headers[.authorization], policy: .required)
        } catch {
            throw OAuthError(error)
        }
        for kind in Self.searchOrder(hint: fields["token_type_hint"]) {
            if try await revoke(token, as: kind, app: app) { return }
        }
    }

    /// RFC 7009 §2.1: the hint says where to look first, and a token not found there is
    /// looked for among the other kinds. A hint this server does not know is ignored, as the
    /// RFC allows.
    static func searchOrder(hint: String?) -> [TokenKind] {
        hint == "access_token" ? [.access, .refresh] : [.refresh, .access]
    }

    /// True when `token` is a live token of this kind, now revoked with its grant.
    private func revoke(_ token: String, as kind: TokenKind, app: DevApp) async throws(OAuthError) -> Bool {
        switch kind {
        case .refresh:
            switch await state.refreshTokens.revoke(token, appID: app.clientID) {
            case .revoked: return true
            case .unknown: return false
            case .wrongApp: throw Self.foreign
            }
        case .access:
            // Expired, revoked, foreign-signed or malformed: not a live access token of this
            // server, so there is nothing to revoke.
            guard let grant = try? await BearerAuthenticator(state: state).grant(of: token) else { return false }
            guard grant.clientID == app.clientID else { throw Self.foreign }
            await state.refreshTokens.revokeGrant(grant.id)
            return true
        }
    }

    private static let foreign = OAuthError(error: "unauthorized_client", description: "The token was issued to another client")
}

/// An error in the RFC 6749 §5.2 shape, `{"error", "error_description"}`, which RFC 7009
/// §2.2.1 prescribes for the revocation endpoint: unlike the PDS endpoints, that one
/// imitates a generic OAuth server. `description` follows ``PDSError``'s rule: it says
/// what was wrong and never holds a secret or token value.
struct OAuthError: Error, Sendable {
    /// `invalid_request`, `invalid_client` or `unauthorized_client`.
    var error: String
    var description: String
    var status: HTTPResponse.Status = .badRequest
    /// `WWW-Authenticate` when the client tried HTTP Basic (RFC 6749 §5.2).
    var headers: [(String, String)] = []

    static func invalidRequest(_ description: String) -> OAuthError {
        OAuthError(error: "invalid_request", description: description)
    }

    /// A refusal of the shared form and client-authentication code, in RFC 6749 terms: a
    /// failed client authentication is `invalid_client` with its 401 and challenge; any
    /// other problem with the request is `invalid_request` (a body too large keeps its 413).
    init(_ refusal: PDSError) {
        switch refusal.status {
        case .unauthorized:
            self.init(error: "invalid_client", description: refusal.message, status: .unauthorized, headers: refusal.headers)
        case .contentTooLarge:
            self.init(error: "invalid_request", description: refusal.message, status: .contentTooLarge)
        default:
            self.init(error: "invalid_request", description: refusal.message)
        }
    }

    init(error: String, description: String, status: HTTPResponse.Status = .badRequest, headers: [(String, String)] = []) {
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers
    }
}

extension OAuthError: HTTPResponseError {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.oauthError(self)
    }
}
