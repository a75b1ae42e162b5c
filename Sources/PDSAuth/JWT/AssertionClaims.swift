import JWTKit

/// The claims of a PDS JWT-bearer assertion (PDS JWT apps; RFC 7523 §3). Time claims are
/// whole seconds since the epoch, as PDS requires — plain integers, not jwt-kit's `Date`
/// claims, so no fractional seconds can slip in.
public struct AssertionClaims: JWTPayload, Equatable {
    /// The app id (client id).
    public var iss: String
    /// A user id, or the domain id for a service account.
    public var sub: String
    /// `user` or `service`.
    public var sub_type: String
    /// The domain id.
    public var aud: String
    /// Unique per assertion (16–128 characters): a UUID.
    public var jti: String
    public var exp: Int
    public var iat: Int
    public var nbf: Int
    /// Present only when asked: create the user if missing.
    public var auto_create: Bool?

    /// Signing only: the server is the one that verifies.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
