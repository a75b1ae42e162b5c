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
