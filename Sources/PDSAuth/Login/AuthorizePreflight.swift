import FoundationEssentials
import HTTPTypes

/// One request to the authorize endpoint before the browser opens, so that a mistake the
/// provider can judge without a user — an unreachable endpoint, an unknown client id, a
/// redirect URI the app has not registered — is reported at once instead of after the user
/// has waited in the browser (or pds-auth for ten minutes).
///
/// It sends the sign-in's own request (same client id, redirect URI, scope, domain, login
/// type, a PKCE challenge) with a throwaway `state`, and follows no redirect. RFC 6749
/// §4.1.2.1 tells a server to answer a bad `client_id` or `redirect_uri` itself, never by
/// redirecting; any other error goes back to the redirect URI with `error`. So:
/// - no answer: the transfer's error (unreachable, TLS, timeout: exit 9);
/// - 404, 405, 410: no authorize endpoint there (`endpointMisconfigured`);
/// - a redirect to our redirect URI carrying `error`: the request is refused as configured;
/// - another 4xx: the provider refuses the client or the redirect URI;
/// - 5xx: the provider is failing;
/// - an answer over 256 KiB (not read further): a sign-in page;
/// - anything else (a sign-in page, a redirect to it): the browser may go ahead.
package enum AuthorizePreflight {
    /// Longest the check may take: it must not hold the sign-in up.
    package static let timeout: Duration = .seconds(10)

    package static func check(_ configuration: LoginConfiguration) async throws(PDSAuthError) {
        guard let redirect = configuration.redirects.first else { return }
        let request = AuthorizationRequest(
            clientID: configuration.clientID, redirectURI: redirect.uri, scope: configuration.scope,
            domainID: configuration.domainID, loginType: configuration.loginType,
            pkce: configuration.usePKCE ? PKCE() : nil)
        let url = request.url(endpoint: configuration.endpoints.authorizeURL)
        var options = configuration.transport
        options.totalTimeout = min(options.totalTimeout, timeout)
        options.connectTimeout = min(options.connectTimeout, options.totalTimeout)
        options.maxBodyBytes = 256 << 10
        let response: HTTPClientResponse
        do {
            response = try await CurlClient(options: options).send(
                HTTPClientRequest(url: url, headerFields: [.accept: "text/html, application/json"]))
        } catch  where error.code == .responseTooLarge {
            // Longer than any refusal (a bare error code or a short page): a sign-in page,
            // read no further. The browser may go ahead; a provider's late refusal shows there.
            return
        }
        if let error = verdict(response, redirectURI: redirect.uri, endpoint: configuration.endpoints.authorizeURL) { throw error }
    }

    /// The error `response` means, or nil when the sign-in may go ahead.
    static func verdict(_ response: HTTPClientResponse, redirectURI: String, endpoint: URL) -> PDSAuthError? {
        let shown = Redaction.url(endpoint)
        switch response.status {
        case 300...399:
            guard let location = response[header: .location], location.hasPrefix(redirectURI),
                let query = location.split(separator: "?", maxSplits: 1).dropFirst().first,
                let parameters = CallbackParameters(query: query), let error = parameters.error
            else { return nil }
            let detail = parameters.errorDescription.map { ": " + Redaction.terminalSafe($0, limit: 300) } ?? ""
            return PDSAuthError(
                .invalidSetting,
                "The provider refuses this sign-in request (\(Redaction.terminalSafe(error, limit: 80))\(detail)); the browser was not opened",
                providerError: Redaction.terminalSafe(error, limit: 80))
        case 404, 405, 410:
            return PDSAuthError(
                .endpointMisconfigured, "\(shown) answered HTTP \(response.status): there is no authorize endpoint there; the browser was not opened")
        case 400...499:
            let reason = Self.reason(response)
            let redirectRefused = reason.lowercased().contains("redirect")
            return PDSAuthError(
                redirectRefused ? .invalidRedirectURI : .clientRejected,
                "The provider refuses this sign-in request: \(reason); the browser was not opened",
                httpStatus: response.status, details: ["redirect uri": redirectURI])
        case 500...599:
            return PDSAuthError(
                .serverUnavailable, "\(shown) answered HTTP \(response.status); the browser was not opened",
                httpStatus: response.status)
        default:
            return nil
        }
    }

    /// What the refusal says: PDS's code and message, an RFC 6749 error, or the error code a
    /// page names (`invalid_client`, `invalid_redirect_uri`…), or only the status.
    static func reason(_ response: HTTPClientResponse) -> String {
        let reported = ServerError(response)
        if reported.code != nil || reported.message != nil { return reported.summary }
        let page = String(decoding: response.body.prefix(64 << 10), as: UTF8.self).lowercased()
        let known = ["invalid_redirect_uri", "mismatching redirect uri", "invalid_client", "unauthorized_client", "redirect_uri", "invalid_request"]
        if let named = known.first(where: page.contains) { return named }
        return "HTTP \(response.status)"
    }
}
