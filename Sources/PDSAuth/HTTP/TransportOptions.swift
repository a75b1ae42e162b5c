import FoundationEssentials

/// Bounds and trust settings for every outbound transfer.
public struct TransportOptions: Sendable {
    /// Time to establish TCP + TLS.
    public var connectTimeout: Duration
    /// Time for the whole transfer, including a slowly trickled body.
    public var totalTimeout: Duration
    /// Largest response body accepted.
    public var maxBodyBytes: Int
    /// PEM bundle of CAs to trust instead of the system's; nil = system store.
    public var caBundlePath: String?
    /// Sent as `User-Agent` on every request.
    public var userAgent: String
    /// The proxy variables (`ProxyChoice.variables`) that decide each request's proxy.
    public var proxyEnvironment: [String: String]
    /// Hears one line per request (method, URL without query, the proxy or why none), for
    /// `--verbose`. Never a secret: no query, no header, no body.
    public var trace: (@Sendable (String) -> Void)?

    /// Options with pds-auth's defaults: 10 s to connect, 30 s in all, 1 MiB answers, the
    /// system's CAs, the proxy variables of this process's environment.
    public init(
        connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(30), maxBodyBytes: Int = 1 << 20,
        caBundlePath: String? = nil, userAgent: String = "pds-auth/\(PDSAuthVersion.current)",
        proxyEnvironment: [String: String] = TransportOptions.proxyVariables(ProcessInfo.processInfo.environment),
        trace: (@Sendable (String) -> Void)? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBodyBytes = maxBodyBytes
        self.caBundlePath = caBundlePath
        self.userAgent = userAgent
        self.proxyEnvironment = proxyEnvironment
        self.trace = trace
    }

    /// The proxy variables of `environment`, and nothing else.
    public static func proxyVariables(_ environment: [String: String]) -> [String: String] {
        environment.filter { ProxyChoice.variables.contains($0.key) }
    }

    /// The range `PDS_AUTH_HTTP_TIMEOUT` may take, in seconds.
    public static let timeoutRange: ClosedRange<Double> = 0.1...3600

    /// Defaults, with the total timeout from `PDS_AUTH_HTTP_TIMEOUT` (seconds, a decimal
    /// number in ``timeoutRange``) when set; anything else in it is refused, not ignored.
    public static func fromEnvironment(_ environment: [String: String], caBundleFlag: String? = nil) throws(PDSAuthError) -> TransportOptions {
        var options = TransportOptions(
            caBundlePath: caBundle(flag: caBundleFlag, environment: environment),
            proxyEnvironment: proxyVariables(environment))
        if let text = environment["PDS_AUTH_HTTP_TIMEOUT"] {
            let seconds = try Self.seconds(text, name: "PDS_AUTH_HTTP_TIMEOUT", range: timeoutRange)
            options.totalTimeout = .milliseconds(Int64((seconds * 1000).rounded()))
            options.connectTimeout = min(options.connectTimeout, options.totalTimeout)
        }
        return options
    }

    /// A finite decimal number of seconds within `range`; `inf`, `nan`, `1e30`, text and
    /// out-of-range values are refused with an error naming the setting.
    static func seconds(_ text: String, name: String, range: ClosedRange<Double>) throws(PDSAuthError) -> Double {
        let trimmed = text.trimmed()
        let plain = !trimmed.isEmpty && trimmed.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }
        guard plain, trimmed.utf8.count <= 12, let value = Double(trimmed), value.isFinite, range.contains(value) else {
            throw PDSAuthError(
                .invalidSetting,
                "\(name) must be a number of seconds from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound)), not \"\(Redaction.terminalSafe(text, limit: 40))\""
            )
        }
        return value
    }

    private static func shown(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// `--cacert` wins, then `CURL_CA_BUNDLE`, then `SSL_CERT_FILE` — the variables curl and
    /// OpenSSL users already set. libcurl itself reads neither, so we pass it on explicitly.
    public static func caBundle(flag: String?, environment: [String: String]) -> String? {
        caBundleSource(flag: flag, environment: environment)?.path
    }

    /// The CA bundle in use and where it was named (`--cacert`, `CURL_CA_BUNDLE`,
    /// `SSL_CERT_FILE`); nil for the system store.
    package static func caBundleSource(flag: String?, environment: [String: String]) -> (path: String, from: String)? {
        for (candidate, from) in [
            (flag, "--cacert"), (environment["CURL_CA_BUNDLE"], "CURL_CA_BUNDLE"), (environment["SSL_CERT_FILE"], "SSL_CERT_FILE"),
        ] {
            if let candidate, !candidate.isEmpty { return (candidate, from) }
        }
        return nil
    }
}

extension Duration {
    /// Whole milliseconds, saturating: libcurl takes timeouts as a `long` of milliseconds.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1000 else { return Int.max }
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

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
        guard
            let (name, proxy) = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"].lazy
                .compactMap({ name in environment[name].flatMap { $0.isEmpty ? nil : (name, $0) } }).first
        else {
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
            let network = address(String(parts[0])), let address = address(host)
        else { return false }
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

/// When a request may be sent again. Token requests are not idempotent: a code is
/// single-use and a refresh token rotates, so a request the server may have processed must
/// never be repeated. Retried, at most `maxRetries` times:
/// - a refused connection or an unresolved host (nothing reached the server), after
///   `connectBackoff`, doubled each time;
/// - 429 Too Many Requests or 503 Service Unavailable, whose meaning is "not processed,
///   come back later" (RFC 6585 §4, RFC 9110 §15.6.4): after `Retry-After` seconds when it
///   is at most `maxRetryAfter`, after one second when it is absent, and not at all when it
///   asks for longer (or is an HTTP-date, which would need our clock to agree with theirs).
/// Never retried: timeouts and broken connections (the server may have acted), other 5xx,
/// any 4xx.
package struct RetryPolicy: Sendable, Equatable {
    package var maxRetries: Int
    package var maxRetryAfter: Duration
    package var connectBackoff: Duration

    package static let standard = RetryPolicy(maxRetries: 2, maxRetryAfter: .seconds(10), connectBackoff: .milliseconds(500))
    package static let none = RetryPolicy(maxRetries: 0, maxRetryAfter: .zero, connectBackoff: .zero)

    package init(maxRetries: Int, maxRetryAfter: Duration, connectBackoff: Duration) {
        self.maxRetries = maxRetries
        self.maxRetryAfter = maxRetryAfter
        self.connectBackoff = connectBackoff
    }

    /// The wait before retry number `attempt` (1-based) after an answer, or nil to give up.
    package func delay(afterStatus status: Int, retryAfter: String?, attempt: Int) -> Duration? {
        guard attempt <= maxRetries, status == 429 || status == 503 else { return nil }
        guard let retryAfter else { return .seconds(1) }
        let text = retryAfter.trimmed()
        guard text.utf8.count <= 6, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let seconds = Int(text), Duration.seconds(seconds) <= maxRetryAfter
        else { return nil }
        return .seconds(seconds)
    }

    /// The wait before retry number `attempt` after a transfer that produced no answer.
    package func delay(afterTransferFailureBeforeSending: Bool, attempt: Int) -> Duration? {
        guard attempt <= maxRetries, afterTransferFailureBeforeSending, attempt < 31 else { return nil }
        return connectBackoff * (1 << (attempt - 1))
    }
}

/// The version reported by `--version` and in the `User-Agent` of every request.
public enum PDSAuthVersion {
    public static let current = "0.2.0"
}
