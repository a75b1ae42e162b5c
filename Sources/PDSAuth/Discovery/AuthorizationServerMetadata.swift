import FoundationEssentials
import HTTPTypes

/// What pds-auth takes from an authorization server's metadata document (RFC 8414 §2, RFC
/// 8628 §4, RFC 9207 §3), validated as the untrusted input it is: the `issuer` must be exactly
/// the one asked for (RFC 8414 §3.3), every endpoint must be an `https` URL (plain `http` only
/// on loopback, and only when the issuer itself is on loopback) without credentials, and
/// nothing else in the document is ever fetched or followed (`jwks_uri`, `registration_endpoint`
/// and the rest are ignored).
package struct AuthorizationServerMetadata: Sendable, Equatable {
    package var issuer: IssuerIdentifier
    package var authorizationEndpoint: URL?
    package var tokenEndpoint: URL?
    package var revocationEndpoint: URL?
    /// RFC 8628 §4 `device_authorization_endpoint`.
    package var deviceAuthorizationEndpoint: URL?
    /// RFC 8414 `code_challenge_methods_supported`; empty when the server does not say.
    package var codeChallengeMethods: [String]
    /// RFC 9207 §3 `authorization_response_iss_parameter_supported`.
    package var issParameterSupported: Bool

    /// Largest metadata document read; real ones are a few KiB.
    package static let maxDocumentSize = 64 << 10

    /// Validates `data`, fetched from one of `issuer.metadataURLs`.
    package static func decode(_ data: Data, issuer: IssuerIdentifier, from url: URL) throws(PDSAuthError) -> AuthorizationServerMetadata {
        let source = Redaction.url(url)
        guard data.count <= maxDocumentSize, let members = (try? JSONDecoder().decode(JSONValue.self, from: data))?.members else {
            throw PDSAuthError(.invalidMetadata, "The metadata at \(source) is not a JSON object", details: ["url": source])
        }
        guard case .string(let named)? = members["issuer"] else {
            throw PDSAuthError(.invalidMetadata, "The metadata at \(source) names no issuer", details: ["url": source])
        }
        guard issuer.matches(named) else {
            throw PDSAuthError(
                .issuerMismatch,
                "The metadata at \(source) is for issuer \"\(Redaction.terminalSafe(named, limit: 200))\", not \"\(Redaction.terminalSafe(issuer.text, limit: 200))\"; nothing from it is used (RFC 8414 §3.3)",
                details: ["url": source])
        }
        func endpoint(_ key: String) throws(PDSAuthError) -> URL? {
            guard let value = members[key] else { return nil }
            guard case .string(let text) = value else {
                throw PDSAuthError(.invalidMetadata, "The metadata's \(key) is not a URL", details: ["url": source])
            }
            return try checkedEndpoint(text, key: key, issuer: issuer, source: source)
        }
        var methods: [String] = []
        if case .array(let values)? = members["code_challenge_methods_supported"] {
            for case .string(let method) in values.prefix(32) { methods.append(method) }
        }
        return AuthorizationServerMetadata(
            issuer: issuer, authorizationEndpoint: try endpoint("authorization_endpoint"), tokenEndpoint: try endpoint("token_endpoint"),
            revocationEndpoint: try endpoint("revocation_endpoint"), deviceAuthorizationEndpoint: try endpoint("device_authorization_endpoint"),
            codeChallengeMethods: methods, issParameterSupported: members["authorization_response_iss_parameter_supported"] == .bool(true))
    }

    /// An endpoint named by the metadata: https, or plain http on loopback when the issuer is
    /// on loopback too (a remote issuer must not point pds-auth at a service on this machine).
    static func checkedEndpoint(_ text: String, key: String, issuer: IssuerIdentifier, source: String) throws(PDSAuthError) -> URL {
        guard IssuerIdentifier.isURLText(text) else {
            throw PDSAuthError(.invalidMetadata, "The metadata's \(key) has characters no URL is written with", details: ["url": source])
        }
        let url: URL
        do {
            url = try ProviderEndpoints.checked(text, what: "metadata's \(key)")
        } catch {
            var error = error
            error.code = error.code == .insecureURL ? .insecureURL : .invalidMetadata
            error.detail("url", source)
            throw error
        }
        if url.scheme?.lowercased() != "https", !issuer.isLoopback {
            throw PDSAuthError(
                .insecureURL, "The metadata of \(issuer.text) names a plain-http \(key) (\(Redaction.url(url))); only a loopback issuer may",
                details: ["url": source])
        }
        return url
    }

    /// Whether PKCE with S256 is offered (RFC 7636 §4.2; RFC 9700 §2.1.1).
    package var supportsS256: Bool { codeChallengeMethods.contains("S256") }
}

/// Fetches and validates an issuer's metadata (RFC 8414 §3): the RFC 8414 well-known URL
/// first, then OpenID Connect's. The documents are untrusted input: each transfer is bounded
/// in size (64 KiB) and time (10 s unless `PDS_AUTH_HTTP_TIMEOUT` is shorter), libcurl
/// follows no redirect (a 3xx is "no document here", whatever host it names), and the first
/// document found decides: one naming another issuer is refused, never passed over for the
/// next URL.
package struct MetadataDiscovery: Sendable {
    package var http: CurlClient

    package init(transport: TransportOptions) {
        var options = transport
        options.maxBodyBytes = AuthorizationServerMetadata.maxDocumentSize
        options.totalTimeout = min(options.totalTimeout, .seconds(10))
        options.connectTimeout = min(options.connectTimeout, options.totalTimeout)
        http = CurlClient(options: options)
    }

    package func metadata(for issuer: IssuerIdentifier) async throws(PDSAuthError) -> AuthorizationServerMetadata {
        var tried: [String] = []
        for url in issuer.metadataURLs {
            let response = try await http.send(HTTPClientRequest(url: url, headerFields: [.accept: "application/json"]))
            guard (200..<300).contains(response.status) else {
                tried.append("\(Redaction.url(url)) (HTTP \(response.status))")
                continue
            }
            return try AuthorizationServerMetadata.decode(response.body, issuer: issuer, from: url)
        }
        throw PDSAuthError(
            .discoveryFailed, "No authorization server metadata for \(Redaction.terminalSafe(issuer.text, limit: 200))",
            details: ["tried": tried.joined(separator: "; ")])
    }
}

extension ProviderEndpoints {
    /// A generic provider's endpoints from its issuer's metadata (RFC 8414), with each
    /// endpoint the user typed winning over the metadata's (a path is taken under
    /// `endpoint`, else under the issuer). The result remembers the issuer, so the profile
    /// is pinned to it: refreshes, revocation and device polls go only to these endpoints,
    /// and a redirect's `iss` must name it (RFC 9207).
    package static func discovered(
        _ metadata: AuthorizationServerMetadata, endpoint: String? = nil, authorize: String? = nil,
        token: String? = nil, revoke: String? = nil, device: String? = nil
    ) throws(PDSAuthError) -> ProviderEndpoints {
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
        var endpoints = ProviderEndpoints(
            flavor: .generic, base: base, authorizeURL: authorizeURL, tokenURL: tokenURL,
            revokeURL: try pick(revoke, metadata.revocationEndpoint, what: "revoke URL"))
        endpoints.issuer = issuer
        endpoints.deviceAuthorizationURL = try pick(device, metadata.deviceAuthorizationEndpoint, what: "device URL")
        endpoints.issParameterSupported = metadata.issParameterSupported
        return endpoints
    }
}
