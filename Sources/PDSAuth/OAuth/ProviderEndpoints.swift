#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where the provider's endpoints are. PDS puts them under one per-domain base URL
/// (`https://{domain_id}.api.aliyunpds.com`, PDS Authorize/Token API reference); other
/// RFC 6749 servers are reached by overriding the paths or giving full URLs.
public struct ProviderEndpoints: Sendable, Codable, Equatable {
    public var base: URL
    public var authorizeURL: URL
    public var tokenURL: URL
    public var revokeURL: URL

    public static let authorizePath = "/v2/oauth/authorize"
    public static let tokenPath = "/v2/oauth/token"
    public static let revokePath = "/v2/account/revoke"

    public init(base: URL, authorizeURL: URL, tokenURL: URL, revokeURL: URL) {
        self.base = base
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.revokeURL = revokeURL
    }

    /// Builds the endpoints from `--endpoint`/`PDS_ENDPOINT` or the domain id, and optional
    /// `--authorize-url`/`--token-url` overrides (absolute URLs, or paths under the base).
    /// Plain `http` is accepted only for loopback hosts: codes, secrets and tokens cross here.
    public static func resolve(endpoint: String?, domainID: String?, authorize: String? = nil,
                               token: String? = nil) throws(PDSAuthError) -> ProviderEndpoints {
        let baseText: String
        if let endpoint, !endpoint.isEmpty {
            baseText = endpoint
        } else if let domainID, !domainID.isEmpty {
            guard domainID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw PDSAuthError(.configuration, code: "invalid_domain_id", "The domain id \"\(Redaction.terminalSafe(domainID, limit: 64))\" is not a valid host label",
                                   hint: "Use the domain id shown in the PDS console, e.g. bj1.")
            }
            baseText = "https://\(domainID).api.aliyunpds.com"
        } else {
            throw PDSAuthError(.configuration, code: "missing_endpoint", "No domain id or endpoint given",
                               hint: "Pass --domain-id ID (or set PDS_DOMAIN_ID), or --endpoint URL (PDS_ENDPOINT).")
        }
        let base = try checked(baseText, what: "endpoint")
        return ProviderEndpoints(
            base: base,
            authorizeURL: try url(authorize, default: authorizePath, base: base, what: "authorize URL"),
            tokenURL: try url(token, default: tokenPath, base: base, what: "token URL"),
            revokeURL: try url(nil, default: revokePath, base: base, what: "revoke URL"))
    }

    private static func url(_ override: String?, default path: String, base: URL, what: String) throws(PDSAuthError) -> URL {
        let text = override ?? path
        if text.hasPrefix("/") {
            var root = base.absoluteString
            while root.hasSuffix("/") { root.removeLast() }
            return try checked(root + text, what: what)
        }
        return try checked(text, what: what)
    }

    /// Parses and vets one URL: http(s), a host, no credentials, https unless loopback.
    static func checked(_ text: String, what: String) throws(PDSAuthError) -> URL {
        let shown = Redaction.terminalSafe(text, limit: 200)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
              scheme == "https" || scheme == "http" else {
            throw PDSAuthError(.configuration, code: "invalid_url", "The \(what) \"\(shown)\" is not an http(s) URL with a host",
                               hint: "Give a full URL such as https://bj1.api.aliyunpds.com.")
        }
        guard url.user == nil, url.password == nil else {
            throw PDSAuthError(.configuration, code: "invalid_url", "The \(what) must not carry a user name or password",
                               hint: "Remove the user:password@ part; client credentials are sent in the request body.")
        }
        guard scheme == "https" || LoopbackHost.isLoopback(host) else {
            throw PDSAuthError(.configuration, code: "insecure_endpoint", "Refusing plain http for the \(what) \(shown)",
                               hint: "Use https; plain http is allowed only for loopback addresses such as the dev server.")
        }
        return url
    }
}
