import JWTKit

/// The claims of a JWT-bearer assertion (RFC 7523 §3, PDS JWT apps). All optional so that
/// a missing claim is reported by name rather than as a decoding failure.
struct AssertionClaims: JWTPayload {
    var iss: IssuerClaim?
    var sub: SubjectClaim?
    /// PDS: `user` (act as the user `sub`) or `service` (the domain's service account).
    var subType: String?
    var aud: AudienceClaim?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var iat: IssuedAtClaim?
    var jti: IDClaim?
    /// PDS: create the user `sub` when it does not exist.
    var autoCreate: Bool?

    enum CodingKeys: String, CodingKey {
        case iss, sub, subType = "sub_type", aud, exp, nbf, iat, jti, autoCreate = "auto_create"
    }

    /// Nothing here: ``AssertionVerifier`` checks the claims against the server's clock and
    /// says which one failed; jwt-kit only checks the signature.
    func verify(using _: some JWTAlgorithm) async throws {}
}
