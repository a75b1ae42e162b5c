import JWTKit

/// Checks the access token of a resource API call (RFC 6750 §2.1: `Authorization: Bearer
/// <token>`): a JWT this server signed, RS256 only, not expired by the server's clock,
/// issued by this server and of a grant that was not revoked. Every refusal is 401
/// `AccessTokenInvalid` (PDS error codes; the official SDKs refresh and retry once on it)
/// with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3, §3.1), and a message
/// `AccessToken is invalid. ` followed by a stable phrase: `missing`, `malformed`,
/// `bad signature`, `expired`, `not issued by this server`, `revoked`.
struct BearerAuthenticator: Sendable {
    let state: DevServerState

    /// The grant the token in `Authorization` was issued for.
    func authenticate(_ authorization: String?) async throws(PDSError) -> Grant {
        try await grant(of: try Self.token(in: authorization))
    }

    /// The grant `token` was issued for, if it is a live access token of this server.
    func grant(of token: String) async throws(PDSError) -> Grant {
        // Access tokens and assertions are both compact JWS: one header reader serves both.
        guard let header = AssertionHeader(assertion: token) else {
            throw Self.reject("malformed: the access token is not a JWS in compact serialization (RFC 7515 §7.1)")
        }
        // RFC 8725 §3.1: the algorithm is this server's choice, never the token's.
        guard header.alg == "RS256" else {
            throw Self.reject("bad signature: alg \(header.alg ?? "(none)") is not accepted; access tokens are RS256")
        }
        guard header.crit == nil else { throw Self.reject("malformed: crit header parameters are not supported (RFC 7515 §4.1.11)") }
        let claims = try await verifiedClaims(token)
        guard let expiry = claims.exp?.value, let jti = claims.jti?.value else {
            throw Self.reject("malformed: the access token lacks exp or jti")
        }
        // RFC 7519 §4.1.4: not accepted on or after exp. The server judges its own tokens
        // by its own clock, so no leeway.
        guard state.clock.now() < expiry else { throw Self.reject("expired: the access token's exp has passed") }
        guard claims.iss?.value == state.issuer.current, let grant = await state.accessTokens.grant(for: jti) else {
            throw Self.reject("not issued by this server: the token was signed for another server or instance")
        }
        guard await !state.refreshTokens.isRevoked(grantID: grant.id) else {
            throw Self.reject("revoked: the sign-in this access token belongs to was revoked")
        }
        return grant
    }

    /// The credentials of `Authorization: Bearer <token>`; the scheme is case-insensitive
    /// (RFC 9110 §11.1).
    private static func token(in authorization: String?) throws(PDSError) -> String {
        guard let authorization else {
            throw reject("missing: send the access token as Authorization: Bearer <access token> (RFC 6750 §2.1)")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard let scheme = parts.first, scheme.lowercased() == "bearer" else {
            throw reject("malformed: the Authorization header does not use the Bearer scheme (RFC 6750 §2.1)")
        }
        let token = parts.count > 1 ? parts[1].trimmingPrefix(while: { $0 == " " }) : ""
        guard !token.isEmpty else { throw reject("missing: the Authorization header carries no token (RFC 6750 §2.1)") }
        return String(token)
    }

    /// The signature under this server's signing key, and only that key.
    private func verifiedClaims(_ token: String) async throws(PDSError) -> BearerTokenClaims {
        let signer = try await state.keys.signing()
        do {
            return try await signer.keys.verify(token, as: BearerTokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw Self.reject("bad signature: the access token is not signed by this server's key")
        } catch {
            throw Self.reject("malformed: the access token could not be decoded")
        }
    }

    static func reject(_ reason: String) -> PDSError {
        PDSError(
            .accessTokenInvalid, "AccessToken is invalid. \(reason)",
            headers: [("WWW-Authenticate", #"Bearer error="invalid_token""#)])
    }
}

/// The claims of an access token presented to a resource API, all optional so that a
/// missing claim is reported by name rather than as a decoding failure; the shape
/// ``AccessTokenClaims`` issues.
struct BearerTokenClaims: JWTPayload {
    var exp: ExpirationClaim?
    var iss: IssuerClaim?
    var jti: IDClaim?

    /// Nothing here: ``BearerAuthenticator`` checks expiry against the server's clock (a
    /// test clock in tests), which jwt-kit's own check would not use; jwt-kit only checks
    /// the signature.
    func verify(using _: some JWTAlgorithm) async throws {}
}
