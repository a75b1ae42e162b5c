import FoundationEssentials
import HTTPTypes

/// The waiting half of the device grant (RFC 8628 §3.4–3.5): poll, wait `interval`, poll
/// again, until the user approves (a token), refuses (`access_denied`), or the code expires
/// (`expired_token`, or its `expires_in` runs out here first), or the wait the user allowed
/// (`--timeout`) is over. `slow_down` adds 5 s to the interval for every later poll (§3.5).
/// The clock and the sleep are injected, so the state machine is tested without waiting.
package struct DevicePoller: Sendable {
    /// Time since polling began, and a way to wait.
    package struct Clock: Sendable {
        package var elapsed: @Sendable () -> Duration
        package var sleep: @Sendable (Duration) async throws -> Void

        package init(elapsed: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
            self.elapsed = elapsed
            self.sleep = sleep
        }

        /// The real one: a monotonic clock and `Task.sleep` (cancelled by Ctrl-C).
        package static func continuous() -> Clock {
            let start = ContinuousClock.now
            return Clock(elapsed: { .now - start }, sleep: { try await Task.sleep(for: $0) })
        }
    }

    package var authorization: DeviceAuthorization
    /// How long the user is willing to wait (`--timeout`).
    package var timeout: Duration
    package var clock: Clock

    /// RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all
    /// subsequent requests".
    package static let slowDownStep = Duration.seconds(5)
    /// However often a server says `slow_down`, polls come at least this often.
    package static let maxInterval = Duration.seconds(600)

    package init(authorization: DeviceAuthorization, timeout: Duration, clock: Clock = .continuous()) {
        self.authorization = authorization
        self.timeout = timeout
        self.clock = clock
    }

    /// Polls with `poll` until an answer ends it; `onSlowDown` hears each new interval.
    package func run(
        onSlowDown: @Sendable (Duration) async -> Void = { _ in },
        poll: @Sendable () async throws(PDSAuthError) -> DevicePollAnswer
    ) async throws(PDSAuthError) -> TokenResponse {
        var interval = authorization.interval
        while true {
            let now = clock.elapsed()
            let wake = min(now + interval, authorization.expiresIn, timeout)
            do { try await clock.sleep(max(.zero, wake - now)) } catch {
                throw PDSAuthError(.cancelled, "Interrupted while waiting for the approval; nothing was saved")
            }
            // Whichever of the two ends came first decides how the wait ended.
            let at = clock.elapsed()
            if at >= timeout, timeout <= authorization.expiresIn { throw timedOut }
            if at >= authorization.expiresIn { throw expired }
            if at >= timeout { throw timedOut }
            switch try await poll() {
            case .token(let response): return response
            case .pending: continue
            case .slowDown:
                interval = min(interval + Self.slowDownStep, Self.maxInterval)
                await onSlowDown(interval)
            case .denied(let description):
                throw PDSAuthError(
                    .authorizationDenied, "The sign-in was refused (access_denied\(description.map { ": " + $0 } ?? "")); nothing was saved",
                    providerError: "access_denied")
            case .expired: throw expired
            }
        }
    }

    private var expired: PDSAuthError {
        PDSAuthError(.deviceCodeExpired, "The device code expired before the sign-in was approved; nothing was saved")
    }

    private var timedOut: PDSAuthError {
        PDSAuthError(.signInTimedOut, "No approval arrived within \(timeout.components.seconds) s; nothing was saved")
    }
}

/// What one poll of the token endpoint with a device code said (RFC 8628 §3.5).
package enum DevicePollAnswer: Sendable, Equatable {
    case token(TokenResponse)
    /// `authorization_pending`: the user has not decided yet.
    case pending
    /// `slow_down`: poll less often (5 s more between polls from now on).
    case slowDown
    /// `access_denied`, with the server's description (terminal-safe, bounded).
    case denied(String?)
    /// `expired_token`: the device code is dead.
    case expired
}

extension TokenClient {
    /// Polls the token endpoint once with `deviceCode` (RFC 8628 §3.4). The four answers of
    /// §3.5 are returned as such; any other refusal is the error it would be for another grant.
    package func poll(deviceCode: String) async throws(PDSAuthError) -> DevicePollAnswer {
        let sentAt = Date()
        let response = try await sendWithRetries(formRequest(.deviceCode(deviceCode)))
        let host = tokenURL.host ?? "the token endpoint"
        if (200..<300).contains(response.status) {
            return .token(try TokenResponse.decode(response.body, from: host, receivedAt: sentAt))
        }
        if (400..<500).contains(response.status), let object = try? JSONDecoder().decode(JSONScalarObject.self, from: response.body) {
            switch object["error"]?.text {
            case "authorization_pending": return .pending
            case "slow_down": return .slowDown
            case "access_denied": return .denied(object["error_description"]?.text.map { Redaction.terminalSafe($0, limit: 300) })
            case "expired_token": return .expired
            default: break
            }
        }
        throw TokenEndpointError.from(response, url: tokenURL, grant: .deviceCode(deviceCode))
    }

    /// Asks the device authorization endpoint for a device code and a user code (RFC 8628
    /// §3.1): the client authenticated as at the token endpoint, and the scope if one is given.
    package func deviceAuthorization(at url: URL, scope: String?) async throws(PDSAuthError) -> DeviceAuthorization {
        var fields = [("client_id", clientID)]
        if let clientSecret, !clientSecret.isEmpty { fields.append(("client_secret", clientSecret)) }
        if let scope, !scope.isEmpty { fields.append(("scope", scope)) }
        let request = HTTPClientRequest(
            method: .post, url: url, headerFields: .formAskingForJSON, body: Data(FormEncoding.encode(fields).utf8))
        let response = try await sendWithRetries(request)
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointError.from(response, url: url, grant: nil)
        }
        return try DeviceAuthorization.decode(response.body, from: url.host ?? "the device endpoint")
    }
}
