import JWTKit

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
