/// What the token and revoke endpoints have seen, for tests that assert how many calls a
/// client made (one refresh, not two; a retry after a 503; a revoke on logout).
public struct DevServerStatistics: Sendable, Equatable {
    /// Every `POST /v2/oauth/token`, keyed by its `grant_type`: `authorization_code`,
    /// `refresh_token`, `urn:ietf:params:oauth:grant-type:jwt-bearer`, `unsupported` for
    /// any other value and `missing` when absent or unreadable. Injected faults count too.
    public var tokenRequests: [String: Int]
    /// The token requests answered with tokens, keyed the same way.
    public var tokenSuccesses: [String: Int]
    /// Every well-formed `POST /v2/account/revoke`, including those naming a token that is
    /// unknown or already dead (RFC 7009 §2.2 answers them with success too).
    public var revocations: Int

    public init(tokenRequests: [String: Int] = [:], tokenSuccesses: [String: Int] = [:], revocations: Int = 0) {
        self.tokenRequests = tokenRequests
        self.tokenSuccesses = tokenSuccesses
        self.revocations = revocations
    }
}
