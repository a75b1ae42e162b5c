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
