#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /v2/oauth/token` through libcurl: form body, JSON answer (PDS Token API).
public struct TokenClient: Sendable {
    public var http: CurlClient
    public var tokenURL: URL
    public var clientID: String
    public var clientSecret: String?

    public init(http: CurlClient, tokenURL: URL, clientID: String, clientSecret: String?) {
        self.http = http
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    public func request(_ grant: TokenGrant) async throws(PDSAuthError) -> TokenResponse {
        let body = FormEncoding.encode(grant.formFields(clientID: clientID, clientSecret: clientSecret))
        let request = HTTPClientRequest(method: .post, url: tokenURL, headers: [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
        ], body: Data(body.utf8))
        let host = tokenURL.host ?? "the token endpoint"
        let response = try await http.send(request)
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointError.from(response, host: host, action: "issue a token (\(grant.grantType))")
        }
        return try TokenResponse.decode(response.body, from: host)
    }
}
