import JWTKit

/// The claims of an access token, modelled on PDS's (PDS Token API sample: `userId`,
/// `customJson`, `exp`, `iat`) plus the registered claims RFC 9068 §2.2 asks of JWT access
/// tokens: `iss`, `sub`, `aud`, `jti`.
struct AccessTokenClaims: JWTPayload, Equatable {
    var userId: String
    /// A JSON string, as in PDS tokens: see ``CustomJSON``.
    var customJson: String
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var jti: IDClaim

    func verify(using _: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// The object PDS puts, serialised, in `customJson`.
    struct CustomJSON: Codable, Sendable, Equatable {
        var clientId: String
        var domainId: String
        var scope: [String]
        var role: String
        var ref: String
        var device_id: String
    }
}
