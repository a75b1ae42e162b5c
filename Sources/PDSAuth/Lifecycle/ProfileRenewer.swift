/// Obtains a new token response for a profile (refresh grant, or a new JWT assertion).
public protocol ProfileRenewer: Sendable {
    func renew(_ profile: StoredProfile, name: String) async throws(PDSAuthError) -> TokenResponse
}

/// The renewals pds-auth knows: `refresh_token` (RFC 6749 §6) for browser sign-ins, a new
/// assertion (RFC 7523) for JWT-bearer profiles. `domain_id` is sent whenever the profile
/// knows its domain (PDS Token API, 2026 revision).
public struct StandardRenewer: ProfileRenewer {
    /// Timeouts, trust and proxies for the token request (the profile's CA bundle wins).
    public var transport: TransportOptions
    /// The token endpoint: libcurl, unless a test hands in its own.
    package var exchange: TokenExchange = .curl

    /// A renewer that reaches token endpoints through libcurl with `transport`.
    public init(transport: TransportOptions = TransportOptions()) { self.transport = transport }

    package init(transport: TransportOptions = TransportOptions(), exchange: TokenExchange) {
        self.transport = transport
        self.exchange = exchange
    }

    /// Trades the profile's refresh token (RFC 6749 §6), or a new assertion for a JWT
    /// profile (RFC 7523), for new tokens; saves nothing (`TokenProvider` does, under the lock).
    public func renew(_ profile: StoredProfile, name: String) async throws(PDSAuthError) -> TokenResponse {
        var options = transport
        options.caBundlePath = profile.caBundlePath ?? options.caBundlePath
        func request(_ grant: TokenGrant) -> TokenExchange.Request {
            TokenExchange.Request(tokenURL: profile.endpoints.tokenURL, clientID: profile.clientID, clientSecret: profile.clientSecret,
                                  domainID: profile.domainID, transport: options, grant: grant)
        }
        if let jwt = profile.jwt {
            let assertion = try await JWTAssertion.sign(settings: jwt, clientID: profile.clientID, audience: profile.domainID ?? "")
            return try await exchange(request(.jwtBearer(assertion: assertion)))
        }
        guard let refreshToken = profile.refreshToken else {
            throw PDSAuthError(.notRefreshable, "Profile \"\(Redaction.terminalSafe(name, limit: 64))\" has no refresh token and its access token is expiring")
        }
        return try await exchange(request(.refreshToken(refreshToken)))
    }
}
