/// When a request may be sent again. Token requests are not idempotent: a code is
/// single-use and a refresh token rotates, so a request the server may have processed must
/// never be repeated. Retried, at most `maxRetries` times:
/// - a refused connection or an unresolved host (nothing reached the server), after
///   `connectBackoff`, doubled each time;
/// - 429 Too Many Requests or 503 Service Unavailable, whose meaning is "not processed,
///   come back later" (RFC 6585 §4, RFC 9110 §15.6.4): after `Retry-After` seconds when it
///   is at most `maxRetryAfter`, after one second when it is absent, and not at all when it
///   asks for longer (or is an HTTP-date, which would need our clock to agree with theirs).
/// Never retried: timeouts and broken connections (the server may have acted), other 5xx,
/// any 4xx.
package struct RetryPolicy: Sendable, Equatable {
    package var maxRetries: Int
    package var maxRetryAfter: Duration
    package var connectBackoff: Duration

    package static let standard = RetryPolicy(maxRetries: 2, maxRetryAfter: .seconds(10), connectBackoff: .milliseconds(500))
    package static let none = RetryPolicy(maxRetries: 0, maxRetryAfter: .zero, connectBackoff: .zero)

    package init(maxRetries: Int, maxRetryAfter: Duration, connectBackoff: Duration) {
        self.maxRetries = maxRetries
        self.maxRetryAfter = maxRetryAfter
        self.connectBackoff = connectBackoff
    }

    /// The wait before retry number `attempt` (1-based) after an answer, or nil to give up.
    package func delay(afterStatus status: Int, retryAfter: String?, attempt: Int) -> Duration? {
        guard attempt <= maxRetries, status == 429 || status == 503 else { return nil }
        guard let retryAfter else { return .seconds(1) }
        let text = retryAfter.trimmed()
        guard text.utf8.count <= 6, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let seconds = Int(text), Duration.seconds(seconds) <= maxRetryAfter else { return nil }
        return .seconds(seconds)
    }

    /// The wait before retry number `attempt` after a transfer that produced no answer.
    package func delay(afterTransferFailureBeforeSending: Bool, attempt: Int) -> Duration? {
        guard attempt <= maxRetries, afterTransferFailureBeforeSending, attempt < 31 else { return nil }
        return connectBackoff * (1 << (attempt - 1))
    }
}
