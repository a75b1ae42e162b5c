import FoundationEssentials

/// Revokes a profile's refresh token at the provider: PDS's `POST /v2/account/revoke`
/// with JSON `{"app_id", "refresh_token"}` (204 on success, as the PDS SDKs' sign-out), or
/// for a generic provider RFC 7009 §2.1: a form with `token` and
/// `token_type_hint=refresh_token`, the client authenticated as at its token endpoint.
package struct RevokeClient: Sendable {
    package var http: CurlClient

    package init(http: CurlClient) { self.http = http }

    /// Nothing to do without a refresh token; an error when the provider has no
    /// revocation endpoint or refuses.
    package func revoke(_ profile: StoredProfile) async throws(PDSAuthError) {
        guard let refreshToken = profile.refreshToken else { return }
        guard let url = profile.endpoints.revokeURL else {
            throw PDSAuthError(.noRevocationEndpoint, "\(profile.endpoints.providerName) has no revocation endpoint on record for this profile")
        }
        let request = profile.endpoints.flavor == .pds
            ? Self.pdsRequest(url: url, clientID: profile.clientID, refreshToken: refreshToken)
            : Self.rfc7009Request(url: url, profile: profile, refreshToken: refreshToken)
        let response = try await http.send(request)
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointError.from(response, url: url, grant: .refreshToken(refreshToken))
        }
    }

    static func pdsRequest(url: URL, clientID: String, refreshToken: String) -> HTTPClientRequest {
        struct Body: Encodable {
            var app_id: String
            var refresh_token: String
        }
        // Encoding two strings cannot fail.
        let body = try! JSONEncoder().encode(Body(app_id: clientID, refresh_token: refreshToken))
        return HTTPClientRequest(method: "POST", url: url, headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: body)
    }

    static func rfc7009Request(url: URL, profile: StoredProfile, refreshToken: String) -> HTTPClientRequest {
        var fields = [("token", refreshToken), ("token_type_hint", "refresh_token"), ("client_id", profile.clientID)]
        if let secret = profile.clientSecret, !secret.isEmpty { fields.append(("client_secret", secret)) }
        return HTTPClientRequest(method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                 body: Data(FormEncoding.encode(fields).utf8))
    }
}
