import FoundationEssentials

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
        try await TokenClient(http: CurlClient(options: request.transport), tokenURL: request.tokenURL, clientID: request.clientID,
                              clientSecret: request.clientSecret, domainID: request.domainID).request(request.grant)
    }
}
