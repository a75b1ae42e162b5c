import FoundationEssentials

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
            let response = try await http.send(HTTPClientRequest(method: "GET", url: url, headers: [("Accept", "application/json")]))
            guard (200..<300).contains(response.status) else {
                tried.append("\(Redaction.url(url)) (HTTP \(response.status))")
                continue
            }
            return try AuthorizationServerMetadata.decode(response.body, issuer: issuer, from: url)
        }
        throw PDSAuthError(.discoveryFailed, "No authorization server metadata for \(Redaction.terminalSafe(issuer.text, limit: 200))",
                           details: ["tried": tried.joined(separator: "; ")])
    }
}
