/// What the token, revoke and resource endpoints have seen, for tests that assert how many
/// calls a client made (one refresh, not two; a retry after a 503; a revoke on logout; one
/// retry after a 401, never more).
public struct DevServerStatistics: Sendable, Equatable {
    /// Every `POST /v2/oauth/token`, keyed by its `grant_type`: `authorization_code`,
    /// `refresh_token`, `urn:ietf:params:oauth:grant-type:jwt-bearer`, `unsupported` for
    /// any other value and `missing` when absent or unreadable. Injected faults count too.
    public var tokenRequests: [String: Int]
    /// The token requests answered with tokens, keyed the same way.
    public var tokenSuccesses: [String: Int]
    /// Every well-formed `POST /v2/account/revoke` and `POST /v2/oauth/revoke`, including
    /// those naming a token that is unknown or already dead (RFC 7009 §2.2 answers them
    /// with success too) and those then refused for the app or client.
    public var revocations: Int
    /// Every `POST` to a resource API, keyed by its path (`/v2/user/get`, `/v2/drive/list`,
    /// `/v2/file/list`), whatever the answer.
    public var resourceRequests: [String: Int]
    /// The resource API calls answered 401 `AccessTokenInvalid` (RFC 6750 §3.1
    /// `invalid_token`): a client that refreshes and retries once makes exactly one.
    public var resourceUnauthorized: Int

    public init(
        tokenRequests: [String: Int] = [:], tokenSuccesses: [String: Int] = [:], revocations: Int = 0,
        resourceRequests: [String: Int] = [:], resourceUnauthorized: Int = 0
    ) {
        self.tokenRequests = tokenRequests
        self.tokenSuccesses = tokenSuccesses
        self.revocations = revocations
        self.resourceRequests = resourceRequests
        self.resourceUnauthorized = resourceUnauthorized
    }
}

/// Counts requests as they happen; ``DevServer/statistics()`` returns a snapshot.
actor StatisticsRecorder {
    private var statistics = DevServerStatistics()

    func tokenRequest(_ key: GrantTypeKey) {
        statistics.tokenRequests[key.rawValue, default: 0] += 1
    }

    func tokenSuccess(_ key: GrantTypeKey) {
        statistics.tokenSuccesses[key.rawValue, default: 0] += 1
    }

    func revocation() {
        statistics.revocations += 1
    }

    func resourceRequest(_ endpoint: Endpoint) {
        statistics.resourceRequests[endpoint.rawValue, default: 0] += 1
    }

    func resourceUnauthorized() {
        statistics.resourceUnauthorized += 1
    }

    func snapshot() -> DevServerStatistics {
        statistics
    }
}
