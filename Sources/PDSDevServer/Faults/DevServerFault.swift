/// A way for `POST /v2/oauth/token` to misbehave, so a client's retry, timeout and
/// bounds handling can be tested against the failures a real PDS endpoint or the
/// gateway in front of it produce.
public enum DevServerFault: Sendable, Equatable {
    /// Waits this long, then answers normally (a slow server or network).
    case delay(milliseconds: Int)
    /// Fails with this status and a PDS error body (`TooManyRequests` for 429,
    /// `InternalError` for 500, `ServiceUnavailable` for 503, …), plus `Retry-After`
    /// (RFC 9110 §10.2.3) in seconds when given. The request is not processed: a code
    /// stays redeemable, a refresh token stays alive.
    case status(Int, retryAfter: Int?)
    /// Closes the connection without any answer. The request is not processed.
    case dropConnection
    /// Answers 200 with a body that is not JSON. The request is not processed.
    case invalidJSON
    /// Answers 200 with a JSON body of exactly this many bytes (at least 32), larger than
    /// any token response, for a client's response-size bound. The request is not processed.
    case oversizedBody(bytes: Int)
    /// Processes the request normally but sends the response body at this many bytes per
    /// second, for a client's read timeout.
    case slowBody(bytesPerSecond: Int)
}
