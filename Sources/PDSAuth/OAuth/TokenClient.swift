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
    public var retry: RetryPolicy

    public init(http: CurlClient, tokenURL: URL, clientID: String, clientSecret: String?, retry: RetryPolicy = .standard) {
        self.retry = retry
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
        let response = try await sendWithRetries(request)
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointError.from(response, host: host, action: "issue a token (\(grant.grantType))")
        }
        return try TokenResponse.decode(response.body, from: host)
    }

    /// Sends, retrying only as `retry` allows (see `RetryPolicy` for why so little).
    func sendWithRetries(_ request: HTTPClientRequest) async throws(PDSAuthError) -> HTTPClientResponse {
        var attempt = 1
        while true {
            let wait: Duration
            do {
                let response = try await http.send(request)
                guard let delay = retry.delay(afterStatus: response.status, retryAfter: response[header: "retry-after"], attempt: attempt) else {
                    return response
                }
                wait = delay
            } catch {
                guard let delay = retry.delay(afterTransferFailureBeforeSending: error.context["sent"] == "no", attempt: attempt) else {
                    var reported = error
                    reported.context["sent"] = nil
                    if attempt > 1 { reported.context["attempts"] = String(attempt) }
                    throw reported
                }
                wait = delay
            }
            do { try await Task.sleep(for: wait) } catch {
                throw PDSAuthError(.interrupted, code: "cancelled", "Cancelled while waiting to retry")
            }
            attempt += 1
        }
    }
}
