/// When a token request may be sent again. Token requests are not idempotent: a code is
/// single-use and a refresh token rotates, so a request the server may have processed must
/// never be repeated. Retried, boundedly:
/// - the connection was refused or the host did not resolve (nothing reached the server);
/// - 429 Too Many Requests or 503 Service Unavailable, whose meaning is "not processed, come
///   back later" (RFC 6585 §4, RFC 9110 §15.6.4), after `Retry-After` seconds when it is at
///   most `maxRetryAfter`, else not at all.
/// Never retried: timeouts and broken connections (the server may have acted), other 5xx,
/// any 4xx.
public struct RetryPolicy: Sendable, Equatable {
    public var maxRetries: Int
    /// Longest `Retry-After` honoured, in seconds; a longer one is reported, not waited for.
    public var maxRetryAfter: Int
    /// Wait before retrying a refused connection, doubled each time.
    public var connectBackoff: Duration

    public static let standard = RetryPolicy(maxRetries: 2, maxRetryAfter: 10, connectBackoff: .milliseconds(500))
    public static let none = RetryPolicy(maxRetries: 0, maxRetryAfter: 0, connectBackoff: .zero)

    public init(maxRetries: Int, maxRetryAfter: Int, connectBackoff: Duration) {
        self.maxRetries = maxRetries
        self.maxRetryAfter = maxRetryAfter
        self.connectBackoff = connectBackoff
    }

    /// The wait before retry number `attempt` (1-based), or nil to give up.
    public func delay(afterStatus status: Int, retryAfter: String?, attempt: Int) -> Duration? {
        guard attempt <= maxRetries, status == 429 || status == 503 else { return nil }
        guard let retryAfter else { return .seconds(1) }
        // Only the delta-seconds form: an HTTP-date would need our clock to agree with theirs.
        guard let seconds = Int(retryAfter.trimmed()), seconds >= 0, seconds <= maxRetryAfter else { return nil }
        return .seconds(seconds)
    }

    public func delay(afterTransferFailureBeforeSending: Bool, attempt: Int) -> Duration? {
        guard attempt <= maxRetries, afterTransferFailureBeforeSending else { return nil }
        return connectBackoff * (1 << (attempt - 1))
    }
}
