/// The outcome of presenting a code at the token endpoint.
enum CodeRedemption: Sendable {
    case valid(AuthorizationCode)
    case unknown
    case expired
    /// Presented before. RFC 6749 §4.1.2: the server "SHOULD revoke (when possible) all
    /// tokens previously issued based on that authorization code", hence the grant id.
    case replayed(grantID: String)
}
