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

/// Faults named on the command line (`pds-auth dev-server --fault …`), so users can test
/// their own scripts and retry settings against a misbehaving token endpoint.
extension DevServerFault {
    /// The accepted spellings, for help texts and error messages.
    public static let argumentForms =
        "delay=MS, status=CODE[:RETRY_AFTER_S], drop, invalid-json, oversized=BYTES, slow=BYTES_PER_S"

    /// Parses one of ``argumentForms``; nil for anything else.
    public init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty else { return nil }
        let name = first.lowercased()
        let value = parts.count > 1 ? parts[1] : nil
        switch (name, value) {
        case ("drop", nil): self = .dropConnection
        case ("invalid-json", nil): self = .invalidJSON
        case ("delay", let value?):
            guard let ms = Int(value), ms >= 0 else { return nil }
            self = .delay(milliseconds: ms)
        case ("oversized", let value?):
            guard let bytes = Int(value), bytes >= 32 else { return nil }
            self = .oversizedBody(bytes: bytes)
        case ("slow", let value?):
            guard let rate = Int(value), rate > 0 else { return nil }
            self = .slowBody(bytesPerSecond: rate)
        case ("status", let value?):
            let fields = value.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count <= 2, let code = Int(fields[0]), (400...599).contains(code) else { return nil }
            let retryAfter = fields.count == 2 ? Int(fields[1]) : nil
            guard fields.count == 1 || (retryAfter ?? -1) >= 0 else { return nil }
            self = .status(code, retryAfter: retryAfter)
        default: return nil
        }
    }
}

/// Fault injection for `POST /v2/oauth/token`, reachable as ``DevServer/faults``.
///
/// One fault is armed at a time and applies to the next `times` token requests; every
/// token request counts, whatever its grant type or outcome.
public actor DevServerFaults {
    private var armed: DevServerFault?
    private var remaining = 0

    public init() {}

    /// Arms `fault` for the next `times` token requests, replacing any fault still armed.
    /// `times <= 0` disarms.
    public func set(_ fault: DevServerFault, times: Int) {
        armed = times > 0 ? fault : nil
        remaining = max(times, 0)
    }

    /// Disarms any fault.
    public func clear() {
        armed = nil
        remaining = 0
    }

    /// How many more token requests the armed fault will hit.
    public func remainingCount() -> Int {
        remaining
    }

    /// The fault for the token request being handled, if any; counts it down.
    func take() -> DevServerFault? {
        guard let fault = armed, remaining > 0 else { return nil }
        remaining -= 1
        if remaining == 0 { armed = nil }
        return fault
    }
}
