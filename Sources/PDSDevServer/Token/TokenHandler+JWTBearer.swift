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
