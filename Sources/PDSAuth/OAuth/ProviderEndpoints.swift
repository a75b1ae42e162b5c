import FoundationEssentials

/// Where the provider's endpoints are, and what kind of provider it is. PDS puts them under
/// one per-domain base URL (`https://{domain_id}.api.aliyunpds.com`, PDS Authorize/Token
/// API reference); any other RFC 6749 server is reached by naming its authorize and token
/// endpoints (and optionally an RFC 7009 revocation endpoint).
public struct ProviderEndpoints: Sendable, Codable, Equatable {
    /// PDS, or a generic RFC 6749 server: decides PDS-only parameters (`login_type`), how
    /// revocation is done, and how the provider is named to the user.
    public enum Flavor: String, Sendable, Codable { case pds, generic }

    /// PDS or a generic RFC 6749 provider.
    public var flavor: Flavor
    /// The provider's base URL: PDS's per-domain API host; the API calls' base too.
    public var base: URL
    /// The authorization endpoint the browser is sent to (RFC 6749 §3.1).
    public var authorizeURL: URL
    /// The token endpoint codes and refresh tokens are traded at (RFC 6749 §3.2).
    public var tokenURL: URL
    /// PDS's `POST /v2/account/revoke` (JSON) for PDS; an RFC 7009 endpoint for a generic
    /// provider, or nil when none was named.
    public var revokeURL: URL?
    /// The issuer these endpoints came from (RFC 8414), when they were discovered: the
    /// profile is pinned to it, and a redirect's `iss` is compared with it (RFC 9207). Nil for
    /// PDS and for endpoints typed by hand.
    public var issuer: String?
    /// RFC 8628 device authorization endpoint (generic providers only), from the issuer's
    /// metadata or `--device-url`.
    public var deviceAuthorizationURL: URL?
    /// The issuer's metadata says its redirects carry `iss` (RFC 9207 §3): one without it is
    /// refused.
    public var issParameterSupported: Bool = false

    /// PDS's authorize endpoint under the domain's base URL (PDS Authorize API).
    public static let authorizePath = "/v2/oauth/authorize"
    /// PDS's token endpoint under the domain's base URL (PDS Token API).
    public static let tokenPath = "/v2/oauth/token"
    /// PDS's revocation endpoint under the domain's base URL.
    public static let revokePath = "/v2/account/revoke"

    /// Endpoints as given; `resolve(endpoint:domainID:)` builds PDS's from a base URL.
    public init(flavor: Flavor, base: URL, authorizeURL: URL, tokenURL: URL, revokeURL: URL?) {
        self.flavor = flavor
        self.base = base
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.revokeURL = revokeURL
    }

    /// Builds the endpoints from an endpoint URL or a domain id, and optional overrides
    /// (absolute URLs, or paths under the base). Naming an authorize or token endpoint makes
    /// the provider generic. Plain `http` is accepted only for loopback hosts: codes,
    /// secrets and tokens cross here.
    public static func resolve(
        endpoint: String?, domainID: String?, authorize: String? = nil, token: String? = nil,
        revoke: String? = nil, device: String? = nil
    ) throws(PDSAuthError) -> ProviderEndpoints {
        let base = try checked(try baseText(endpoint: endpoint, domainID: domainID), what: "endpoint")
        let generic = authorize != nil || token != nil
        var endpoints = ProviderEndpoints(
            flavor: generic ? .generic : .pds, base: base,
            authorizeURL: try url(authorize ?? authorizePath, base: base, what: "authorize URL"),
            tokenURL: try url(token ?? tokenPath, base: base, what: "token URL"),
            revokeURL: try (revoke ?? (generic ? nil : revokePath)).map { text throws(PDSAuthError) in
                try url(text, base: base, what: "revoke URL")
            })
        endpoints.deviceAuthorizationURL = try device.map { text throws(PDSAuthError) in try url(text, base: base, what: "device URL") }
        return endpoints
    }

    static func baseText(endpoint: String?, domainID: String?) throws(PDSAuthError) -> String {
        if let endpoint, !endpoint.isEmpty { return endpoint }
        guard let domainID, !domainID.isEmpty else {
            throw PDSAuthError(.missingEndpoint, "No domain id or endpoint given")
        }
        guard isDomainLabel(domainID) else {
            throw PDSAuthError(.invalidDomainID, "The domain id \"\(Redaction.terminalSafe(domainID, limit: 64))\" is not a valid host label")
        }
        return "https://\(domainID).api.aliyunpds.com"
    }

    /// A DNS label (RFC 1035 §2.3.1 letters, digits, hyphens; at most 63 characters).
    public static func isDomainLabel(_ text: String) -> Bool {
        (1...63).contains(text.utf8.count)
            && text.utf8.allSatisfy { FormEncoding.isUnreserved($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "~") && $0 != UInt8(ascii: "_") }
    }

    /// The domain id a PDS host names: `{domain}.api.aliyunpds.com` or `{domain}.auth.aliyunpds.com`.
    public static func domainID(fromHost host: String?) -> String? {
        guard let host = host?.lowercased() else { return nil }
        for suffix in [".api.aliyunpds.com", ".auth.aliyunpds.com"] where host.hasSuffix(suffix) {
            let label = String(host.dropLast(suffix.count))
            if isDomainLabel(label) { return label }
        }
        return nil
    }

    static func url(_ text: String, base: URL, what: String) throws(PDSAuthError) -> URL {
        guard text.hasPrefix("/") else { return try checked(text, what: what) }
        var root = base.absoluteString
        while root.hasSuffix("/") { root.removeLast() }
        return try checked(root + text, what: what)
    }

    /// Parses and vets one URL: http(s), a host, no credentials, https unless loopback.
    static func checked(_ text: String, what: String) throws(PDSAuthError) -> URL {
        let shown = Redaction.terminalSafe(text, limit: 200)
        guard text.utf8.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            let host = url.host, !host.isEmpty, scheme == "https" || scheme == "http"
        else {
            throw PDSAuthError(.invalidURL, "The \(what) \"\(shown)\" is not an http(s) URL with a host")
        }
        guard url.user == nil, url.password == nil else {
            throw PDSAuthError(.invalidURL, "The \(what) must not carry a user name or password")
        }
        guard scheme == "https" || LoopbackHost.isLoopback(host) else {
            throw PDSAuthError(
                .insecureURL, "Refusing plain http for the \(what) \(shown): codes, secrets and tokens would cross the network unencrypted")
        }
        return url
    }

    /// How the provider is named to the user: PDS by name, anything else by its host.
    public var providerName: String {
        flavor == .pds ? "Drive and Photo Service" : (authorizeURL.host ?? base.host ?? "the provider")
    }

    enum CodingKeys: String, CodingKey {
        case flavor, base, authorizeURL, tokenURL, revokeURL, issuer, deviceAuthorizationURL, issParameterSupported
    }

    /// Files written before 0.2 have no `flavor`: they were all PDS.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        flavor = try container.decodeIfPresent(Flavor.self, forKey: .flavor) ?? .pds
        base = try container.decode(URL.self, forKey: .base)
        authorizeURL = try container.decode(URL.self, forKey: .authorizeURL)
        tokenURL = try container.decode(URL.self, forKey: .tokenURL)
        revokeURL = try container.decodeIfPresent(URL.self, forKey: .revokeURL)
        issuer = try container.decodeIfPresent(String.self, forKey: .issuer)
        deviceAuthorizationURL = try container.decodeIfPresent(URL.self, forKey: .deviceAuthorizationURL)
        issParameterSupported = try container.decodeIfPresent(Bool.self, forKey: .issParameterSupported) ?? false
    }

    /// Members for discovery are written only when set, so a PDS profile is saved exactly as
    /// before they existed.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(flavor, forKey: .flavor)
        try container.encode(base, forKey: .base)
        try container.encode(authorizeURL, forKey: .authorizeURL)
        try container.encode(tokenURL, forKey: .tokenURL)
        try container.encodeIfPresent(revokeURL, forKey: .revokeURL)
        try container.encodeIfPresent(issuer, forKey: .issuer)
        try container.encodeIfPresent(deviceAuthorizationURL, forKey: .deviceAuthorizationURL)
        if issParameterSupported { try container.encode(true, forKey: .issParameterSupported) }
    }
}

/// Which host names count as this machine's loopback interface (RFC 8252 §7.3, RFC 6890):
/// `localhost` (any case), 127.0.0.0/8 written as four decimal octets without leading zeros
/// (a leading zero means octal to some parsers, so `127.010.0.1` is refused rather than
/// guessed at), and `::1` in any spelling, with or without brackets. The dev server applies
/// the same rules in its own code; `Tests/Vectors/loopback-hosts.json` holds both to them.
package enum LoopbackHost {
    package static func isLoopback(_ host: String) -> Bool {
        let bare = unbracketed(host)
        if bare.lowercased() == "localhost" { return true }
        if let octets = ipv4(bare) { return octets[0] == 127 }
        if let groups = ipv6(bare) { return groups == [0, 0, 0, 0, 0, 0, 0, 1] }
        return false
    }

    package static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                part == "0" || !part.hasPrefix("0"), let octet = UInt8(part)
            else { return nil }
            octets.append(octet)
        }
        return octets
    }

    /// Eight 16-bit groups, expanding one `::`; embedded IPv4 forms are never loopback here.
    static func ipv6(_ text: String) -> [UInt16]? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.utf8.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
