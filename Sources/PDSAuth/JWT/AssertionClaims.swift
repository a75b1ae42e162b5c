import JWTKit

/// The claims of a PDS JWT-bearer assertion (PDS JWT apps; RFC 7523 §3). Time claims are
/// whole seconds since the epoch, as PDS requires — plain integers, not jwt-kit's `Date`
/// claims, so no fractional seconds can slip in.
package struct AssertionClaims: JWTPayload, Equatable {
    /// The app id (client id).
    package var iss: String
    /// A user id, or the domain id for a service account.
    package var sub: String
    /// `user` or `service`.
    package var sub_type: String
    /// The domain id.
    package var aud: String
    /// Unique per assertion (16–128 characters): a UUID.
    package var jti: String
    package var exp: Int
    package var iat: Int
    package var nbf: Int
    /// Present only when asked: create the user if missing.
    package var auto_create: Bool?

    /// Signing only: the server is the one that verifies.
    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}
