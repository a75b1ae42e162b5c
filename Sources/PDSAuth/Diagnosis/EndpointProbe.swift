import FoundationEssentials

/// One endpoint to reach: a profile's (or `--endpoint`'s) base URL, with the CA bundle its
/// requests would trust.
package struct EndpointTarget: Sendable, Equatable {
    package var url: URL
    /// A profile's remembered `--cacert`, else the one the environment names, else nil
    /// (the system store).
    package var caBundle: (path: String, from: String)?
    package var profiles: [String]

    package init(url: URL, caBundle: (path: String, from: String)?, profiles: [String]) {
        self.url = url
        self.caBundle = caBundle
        self.profiles = profiles
    }

    package static func == (lhs: EndpointTarget, rhs: EndpointTarget) -> Bool {
        lhs.url == rhs.url && lhs.caBundle?.path == rhs.caBundle?.path && lhs.profiles == rhs.profiles
    }
}

/// Reaches an endpoint with one bounded request through the transport every command uses
/// (`CurlClient`: libcurl, TLS always verified, the proxy `ProxyChoice` picks): a `HEAD` of
/// its base URL, no body, nothing sent that is secret, never retried. Any HTTP answer means
/// reachable (the status is shown, not judged); its `Date` header gives the clock skew.
enum EndpointProbe {
    /// The most the probe may take, whatever `PDS_AUTH_HTTP_TIMEOUT` says: `doctor` is run
    /// when something is off, and an endpoint that hangs must not hang it.
    static let limit: Duration = .seconds(5)
    /// Headers of a HEAD answer; a server sending more is cut off (`responseTooLarge`).
    static let maxHeaderBytes = 64 << 10

    static func run(_ target: EndpointTarget, transport: TransportOptions) async -> DiagnosisCheck {
        let url = target.url
        let https = url.scheme?.lowercased() == "https"
        var check = DiagnosisCheck("endpoint", subject: Redaction.terminalSafe(Redaction.url(url), limit: 300), summary: "")
        check.fact("profiles", target.profiles.isEmpty ? nil : JSONValue.array(target.profiles.map { .string(Redaction.terminalSafe($0, limit: 64)) }))
        check.fact("proxy", ProxyChoice.choose(for: url, environment: transport.proxyEnvironment).shown)
        if https {
            check.fact("ca_bundle", target.caBundle.map { "\($0.path) (from \($0.from))" } ?? "the system store (libcurl's default)", limit: 1000)
            if let bundle = target.caBundle, case .failure(let error) = TrustCheck.certificates(in: bundle.path, from: bundle.from) { check.fail(error) }
        }
        var options = transport
        options.caBundlePath = target.caBundle?.path
        options.connectTimeout = min(options.connectTimeout, limit)
        options.totalTimeout = min(options.totalTimeout, limit)
        options.maxBodyBytes = maxHeaderBytes
        options.trace = nil
        let sent = Date()
        let started = ContinuousClock.now
        do throws(PDSAuthError) {
            let response = try await CurlClient(options: options).send(HTTPClientRequest(method: "HEAD", url: url))
            let received = Date()
            let elapsed = ContinuousClock.now - started
            check.fact("http_status", response.status)
            check.fact("answered_in_ms", Int(elapsed.seconds * 1000))
            check.fact("tls", https ? "verified" : "none: plain http, which pds-auth sends to loopback only")
            judgeClock(response[header: "Date"], sent: sent, received: received, into: &check)
            if check.status == .ok {
                check.summary = "reachable (HTTP \(response.status)\(https ? ", TLS verified" : "")); \(check.facts.first { $0.key == "clock" }?.shown ?? "")"
            }
        } catch {
            check.fact("tls", https ? (error.code == .tlsFailure ? "failed" : "not reached") : "none (plain http)")
            check.fail(error)
        }
        return check
    }

    /// The skew against the server's `Date`, a problem beyond `ClockSkew.tolerance`.
    static func judgeClock(_ header: String?, sent: Date, received: Date, into check: inout DiagnosisCheck) {
        guard let header else {
            check.fact("clock", "unknown: the server sent no Date header")
            return
        }
        guard let skew = ClockSkew(dateHeader: header, sent: sent, received: received) else {
            check.fact("clock", "unknown: the server's Date header is not an HTTP date (not shown)")
            return
        }
        check.fact("clock", skew.text)
        check.fact("clock_skew_seconds", skew.seconds)
        if skew.isTooLarge {
            check.fail(PDSAuthError(.clockSkew, "This machine's clock is off: \(skew.text) (more than \(ClockSkew.tolerance) s)"))
        }
    }
}
