import FoundationEssentials
import HTTPTypes

/// `POST /v2/oauth/token` through libcurl: form body, JSON answer (PDS Token API; RFC 6749
/// §4.1.3, §6; RFC 7523 §2.1).
package struct TokenClient: Sendable {
    package var http: CurlClient
    package var tokenURL: URL
    package var clientID: String
    package var clientSecret: String?
    /// Sent as `domain_id` when known (PDS Token API, 2026 revision).
    package var domainID: String?
    package var retry: RetryPolicy

    package init(
        http: CurlClient, tokenURL: URL, clientID: String, clientSecret: String?, domainID: String? = nil,
        retry: RetryPolicy = .standard
    ) {
        self.http = http
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.domainID = domainID
        self.retry = retry
    }

    /// Sends `grant` and returns the validated answer; its expiry is counted from the moment
    /// the request was sent (a conservative reading of `expires_in`).
    package func request(_ grant: TokenGrant) async throws(PDSAuthError) -> TokenResponse {
        let sentAt = Date()
        let response = try await sendWithRetries(formRequest(grant))
        guard (200..<300).contains(response.status) else {
            throw TokenEndpointError.from(response, url: tokenURL, grant: grant)
        }
        return try TokenResponse.decode(response.body, from: tokenURL.host ?? "the token endpoint", receivedAt: sentAt)
    }

    /// The grant as a form POST to the token endpoint.
    func formRequest(_ grant: TokenGrant) -> HTTPClientRequest {
        let body = FormEncoding.encode(grant.formFields(clientID: clientID, clientSecret: clientSecret, domainID: domainID))
        return HTTPClientRequest(
            method: .post, url: tokenURL, headerFields: .formAskingForJSON, body: Data(body.utf8))
    }

    /// Sends, retrying only as `retry` allows (see `RetryPolicy` for why so little).
    func sendWithRetries(_ request: HTTPClientRequest) async throws(PDSAuthError) -> HTTPClientResponse {
        var attempt = 1
        while true {
            let wait: Duration
            switch await http.perform(request) {
            case .success(let response):
                guard let delay = retry.delay(afterStatus: response.status, retryAfter: response[header: .retryAfter], attempt: attempt) else {
                    return response
                }
                wait = delay
            case .failure(let failure):
                guard let delay = retry.delay(afterTransferFailureBeforeSending: failure.happenedBeforeRequestWasSent, attempt: attempt) else {
                    var error = CurlClient.error(for: failure, url: request.url)
                    if attempt > 1 { error.detail("attempts", String(attempt)) }
                    throw error
                }
                wait = delay
            }
            do { try await Task.sleep(for: wait) } catch {
                throw PDSAuthError(.cancelled, "Cancelled while waiting to retry")
            }
            attempt += 1
        }
    }
}

/// The token endpoint as the browser sign-in (`LoginFlow`) and renewal (`StandardRenewer`)
/// use it: one grant, sent as one client, answered with validated tokens or an error. The
/// standard exchange is ``TokenClient`` over libcurl (PDS Token API; RFC 6749 §4.1.3, §6;
/// RFC 7523 §2.1). It is injected through their configuration so that what they decide
/// around it (nothing saved before it succeeded, one renewal under the lock, a failure
/// leaving the file untouched) is unit-tested without sockets; the HTTP side has tests of
/// its own (`TokenClient`, `CurlClient`, the dev server round trips).
package struct TokenExchange: Sendable {
    /// Who asks, where, over which transport, for which grant.
    package struct Request: Sendable {
        package var tokenURL: URL
        package var clientID: String
        package var clientSecret: String?
        /// Sent as `domain_id` when known (PDS Token API, 2026 revision).
        package var domainID: String?
        package var transport: TransportOptions
        package var grant: TokenGrant

        package init(tokenURL: URL, clientID: String, clientSecret: String?, domainID: String?, transport: TransportOptions, grant: TokenGrant) {
            self.tokenURL = tokenURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.domainID = domainID
            self.transport = transport
            self.grant = grant
        }
    }

    private let send: @Sendable (Request) async throws(PDSAuthError) -> TokenResponse

    package init(_ send: @escaping @Sendable (Request) async throws(PDSAuthError) -> TokenResponse) { self.send = send }

    /// Sends `request` and returns the validated answer.
    package func callAsFunction(_ request: Request) async throws(PDSAuthError) -> TokenResponse { try await send(request) }

    /// `POST` to the token endpoint through libcurl, retried only as `RetryPolicy.standard`
    /// allows.
    package static let curl = TokenExchange { (request: Request) async throws(PDSAuthError) -> TokenResponse in
        try await TokenClient(
            http: CurlClient(options: request.transport), tokenURL: request.tokenURL, clientID: request.clientID,
            clientSecret: request.clientSecret, domainID: request.domainID
        ).request(request.grant)
    }
}
