import FoundationEssentials

/// Which proxy a request goes through. libcurl would read the proxy variables itself, but
/// then a loopback endpoint (the dev server, a local test server) reached over plain http
/// would send its bearer token, refresh token and client secret in clear text to whatever
/// proxy the environment names, and pds-auth could not say which proxy it used. So
/// pds-auth decides, with the variables and matching rules curl documents, and tells
/// libcurl exactly that (`CURLOPT_PROXY`, `CURLOPT_NOPROXY`):
/// - loopback hosts never go through a proxy (nor does plain http, which is loopback only);
/// - https: `https_proxy`, `HTTPS_PROXY`, then `all_proxy`, `ALL_PROXY`;
/// - unless `no_proxy` (or `NO_PROXY`) names the host: `*`, a host name or domain (with or
///   without a leading dot, matching the name and every name below it), an IP address, or
///   an IPv4 block in CIDR form (`10.0.0.0/8`).
package struct ProxyChoice: Sendable, Equatable {
    /// The proxy URL, or nil for a direct connection.
    package var proxy: String?
    /// Why: the variable the proxy came from, or why there is none.
    package var reason: String

    /// The variables that decide; `TransportOptions` keeps only these from the environment.
    package static let variables = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"]

    package static func choose(for url: URL, environment: [String: String]) -> ProxyChoice {
        let host = LoopbackHost.unbracketed(url.host ?? "").lowercased()
        if LoopbackHost.isLoopback(host) { return ProxyChoice(proxy: nil, reason: "loopback: never through a proxy") }
        guard url.scheme?.lowercased() == "https" else { return ProxyChoice(proxy: nil, reason: "plain http: never through a proxy") }
        guard let (name, proxy) = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"].lazy
            .compactMap({ name in environment[name].flatMap { $0.isEmpty ? nil : (name, $0) } }).first else {
            return ProxyChoice(proxy: nil, reason: "no proxy variable set")
        }
        if let exceptions = environment["no_proxy"] ?? environment["NO_PROXY"], let matched = Self.exception(host, in: exceptions) {
            return ProxyChoice(proxy: nil, reason: "no_proxy names it (\(Redaction.terminalSafe(matched, limit: 100)))")
        }
        return ProxyChoice(proxy: proxy, reason: name)
    }

    /// The `no_proxy` entry that covers `host`, if any.
    static func exception(_ host: String, in list: String) -> String? {
        for raw in list.split(separator: ",") {
            let entry = raw.trimmed().lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return entry }
            if entry.contains("/") {
                if Self.ipv4(host, inBlock: entry) { return entry }
                continue
            }
            let name = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            let bare = LoopbackHost.unbracketed(name)
            if host == bare || host.hasSuffix("." + bare) { return entry }
        }
        return nil
    }

    /// Whether the IPv4 address `host` lies in the CIDR block `block` (`a.b.c.d/n`).
    static func ipv4(_ host: String, inBlock block: String) -> Bool {
        let parts = block.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits),
              let network = address(String(parts[0])), let address = address(host) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return network & mask == address & mask
    }

    private static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard octets.count == 4, text.split(separator: ".", omittingEmptySubsequences: false).count == 4 else { return nil }
        return octets.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// How a trace line shows the proxy: scheme, host and port, never its user or password.
    package var shown: String {
        guard let proxy else { return "direct (\(reason))" }
        return "via proxy \(Self.displayed(proxy)) (from \(reason))"
    }

    /// A proxy address as pds-auth shows it: scheme, host and port, never its user or password.
    package static func displayed(_ proxy: String) -> String {
        let withScheme = proxy.contains("://") ? proxy : "http://" + proxy
        return URL(string: withScheme).map(Redaction.url).map { Redaction.terminalSafe($0, limit: 200) } ?? "(unparsable proxy address)"
    }
}
