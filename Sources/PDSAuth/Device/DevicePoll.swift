import FoundationEssentials

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
        let request = HTTPClientRequest(method: "POST", url: url, headers: [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
        ], body: Data(FormEncoding.encode(fields).utf8))
        let response = try await sendWithRetries(request)
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointError.from(response, url: url, grant: nil)
        }
        return try DeviceAuthorization.decode(response.body, from: url.host ?? "the device endpoint")
    }
}
