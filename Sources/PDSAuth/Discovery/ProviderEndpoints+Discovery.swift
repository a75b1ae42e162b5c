import FoundationEssentials

extension ProviderEndpoints {
    /// A generic provider's endpoints from its issuer's metadata (RFC 8414), with each
    /// endpoint the user typed winning over the metadata's (a path is taken under
    /// `endpoint`, else under the issuer). The result remembers the issuer, so the profile
    /// is pinned to it: refreshes, revocation and device polls go only to these endpoints,
    /// and a redirect's `iss` must name it (RFC 9207).
    package static func discovered(_ metadata: AuthorizationServerMetadata, endpoint: String? = nil, authorize: String? = nil,
                                  token: String? = nil, revoke: String? = nil, device: String? = nil) throws(PDSAuthError) -> ProviderEndpoints {
        let base = try checked(endpoint.flatMap { $0.isEmpty ? nil : $0 } ?? metadata.issuer.text, what: "endpoint")
        func pick(_ typed: String?, _ found: URL?, what: String) throws(PDSAuthError) -> URL? {
            if let typed { return try url(typed, base: base, what: what) }
            return found
        }
        let issuer = metadata.issuer.text
        guard let authorizeURL = try pick(authorize, metadata.authorizationEndpoint, what: "authorize URL") else {
            throw PDSAuthError(.invalidMetadata, "The metadata of \(issuer) names no authorization_endpoint; give --authorize-url")
        }
        guard let tokenURL = try pick(token, metadata.tokenEndpoint, what: "token URL") else {
            throw PDSAuthError(.invalidMetadata, "The metadata of \(issuer) names no token_endpoint; give --token-url")
        }
        var endpoints = ProviderEndpoints(flavor: .generic, base: base, authorizeURL: authorizeURL, tokenURL: tokenURL,
                                          revokeURL: try pick(revoke, metadata.revocationEndpoint, what: "revoke URL"))
        endpoints.issuer = issuer
        endpoints.deviceAuthorizationURL = try pick(device, metadata.deviceAuthorizationEndpoint, what: "device URL")
        endpoints.issParameterSupported = metadata.issParameterSupported
        return endpoints
    }
}
