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
