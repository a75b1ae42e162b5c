import FoundationEssentials
import Glibc
import HTTPTypes

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
        check.fact(
            "profiles", target.profiles.isEmpty ? nil : JSONValue.array(target.profiles.map { .string(Redaction.terminalSafe($0, limit: 64)) }))
        check.fact("proxy", ProxyChoice.choose(for: url, environment: transport.proxyEnvironment).shown)
        if https {
            check.fact("ca_bundle", target.caBundle.map { "\($0.path) (from \($0.from))" } ?? "the system store (libcurl's default)", limit: 1000)
            if let bundle = target.caBundle, case .failure(let error) = TrustCheck.certificates(in: bundle.path, from: bundle.from) {
                check.fail(error)
            }
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
            let response = try await CurlClient(options: options).send(HTTPClientRequest(method: .head, url: url))
            let received = Date()
            let elapsed = ContinuousClock.now - started
            check.fact("http_status", response.status)
            check.fact("answered_in_ms", Int(elapsed.seconds * 1000))
            check.fact("tls", https ? "verified" : "none: plain http, which pds-auth sends to loopback only")
            judgeClock(response[header: .date], sent: sent, received: received, into: &check)
            if check.status == .ok {
                check.summary =
                    "reachable (HTTP \(response.status)\(https ? ", TLS verified" : "")); \(check.facts.first { $0.key == "clock" }?.shown ?? "")"
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

/// Whether `login` could listen on a redirect URI's port: each address the listener would
/// serve (`localhost` means 127.0.0.1 and ::1, see `ListenerBinding`) is bound for a moment,
/// as the listener binds it (`SO_REUSEADDR`, so a port in TIME_WAIT counts as free, as it
/// does for the listener) and released at once. It is never listened on, so nothing can
/// connect to it meanwhile. Failures are classified and worded as the listener's own.
enum PortProbe {
    static func run(_ redirect: RedirectTarget) -> DiagnosisCheck {
        var check = DiagnosisCheck("redirect_port", summary: "")
        check.fact("redirect_uri", redirect.uri, limit: 300)
        guard redirect.port != 0 else {
            check.summary = "\(redirect.uri) asks for any free port"
            return check
        }
        let addresses = redirect.host.lowercased() == "localhost" ? ["127.0.0.1", "::1"] : [redirect.host]
        var free: [String] = []
        for address in addresses {
            switch bind(address, port: redirect.port) {
            case nil: free.append(address)
            case .unavailable? where address == "::1" && addresses.count == 2:
                check.fact("note", "this machine has no IPv6 loopback address, so localhost is served on 127.0.0.1 only")
            case let failure?: check.fail(failure.error(host: address, port: redirect.port))
            }
        }
        check.fact("free_on", free.isEmpty ? nil : JSONValue.array(free.map { .string($0) }))
        if check.status == .ok { check.summary = "port \(redirect.port) is free on \(free.joined(separator: " and "))" }
        return check
    }

    /// Binds `host:port` and closes the socket again; nil when that worked.
    static func bind(_ host: String, port: Int) -> ListenerServer.BindFailure? {
        let v6 = host.contains(":")
        let descriptor = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return ListenerServer.BindFailure(errno: errno, description: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if v6 {
            setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return .unavailable }
            result = bind(descriptor, to: &address)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return .unavailable }
            result = bind(descriptor, to: &address)
        }
        return result == 0 ? nil : ListenerServer.BindFailure(errno: errno, description: String(cString: strerror(errno)))
    }

    /// bind(2) with a `sockaddr_in` or `sockaddr_in6`.
    private static func bind<Address>(_ descriptor: Int32, to address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }
}
