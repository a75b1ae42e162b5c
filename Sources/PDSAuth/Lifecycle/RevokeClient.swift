#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /v2/account/revoke` with JSON `{"app_id", "refresh_token"}`; 204 on success
/// (PDS account API, as used by the PDS SDKs' sign-out).
public struct RevokeClient: Sendable {
    public var http: CurlClient

    public init(http: CurlClient) { self.http = http }

    public func revoke(_ profile: StoredProfile) async throws(PDSAuthError) {
        guard let refreshToken = profile.refreshToken else { return }
        struct Body: Encodable {
            var app_id: String
            var refresh_token: String
        }
        let body = (try? JSONEncoder().encode(Body(app_id: profile.clientID, refresh_token: refreshToken))) ?? Data()
        let url = profile.endpoints.revokeURL
        let response = try await http.send(HTTPClientRequest(method: .post, url: url, headers: [
            ("Content-Type", "application/json"), ("Accept", "application/json"),
        ], body: body))
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointError.from(response, host: url.host ?? "the revoke endpoint", action: "revoke the refresh token")
        }
    }
}
