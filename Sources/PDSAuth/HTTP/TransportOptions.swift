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
    public init(connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(30), maxBodyBytes: Int = 1 << 20,
                caBundlePath: String? = nil, userAgent: String = "pds-auth/\(PDSAuthVersion.current)",
                proxyEnvironment: [String: String] = TransportOptions.proxyVariables(ProcessInfo.processInfo.environment),
                trace: (@Sendable (String) -> Void)? = nil) {
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
        var options = TransportOptions(caBundlePath: caBundle(flag: caBundleFlag, environment: environment),
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
            throw PDSAuthError(.invalidSetting, "\(name) must be a number of seconds from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound)), not \"\(Redaction.terminalSafe(text, limit: 40))\"")
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
        for (candidate, from) in [(flag, "--cacert"), (environment["CURL_CA_BUNDLE"], "CURL_CA_BUNDLE"), (environment["SSL_CERT_FILE"], "SSL_CERT_FILE")] {
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
