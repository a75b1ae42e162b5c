import FoundationEssentials

/// The CA bundle requests would trust and the proxies they would go through, as the
/// transport decides them (`TransportOptions.caBundleSource`, `ProxyChoice`): shown, and the
/// bundle checked to be a readable file of PEM certificates. Proxy addresses are shown
/// without their user or password.
enum TrustCheck {
    /// The variables that name a proxy for https (the order `ProxyChoice` reads them in).
    static let proxyVariables = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]

    static func run(environment: [String: String], caBundleFlag: String?) -> DiagnosisCheck {
        var check = DiagnosisCheck("tls_and_proxy", summary: "")
        let bundle = TransportOptions.caBundleSource(flag: caBundleFlag, environment: environment)
        check.fact("ca_bundle", bundle.map { "\($0.path) (from \($0.from))" } ?? "the system store (libcurl's default)", limit: 1000)
        if let bundle {
            switch certificates(in: bundle.path, from: bundle.from) {
            case .success(let count): check.fact("ca_certificates", count)
            case .failure(let error): check.fail(error)
            }
        }
        for name in proxyVariables + ["no_proxy", "NO_PROXY"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            check.fact(name, name.lowercased() == "no_proxy" ? Redaction.terminalSafe(value, limit: 300) : ProxyChoice.displayed(value))
        }
        for name in ["http_proxy", "HTTP_PROXY"] where environment[name].map({ !$0.isEmpty }) ?? false {
            check.fact(name, "ignored: plain http goes only to loopback, and never through a proxy")
        }
        let loopback = ProxyChoice.choose(for: URL(string: RedirectTarget.defaultURI)!, environment: environment)
        check.fact("loopback", loopback.shown)
        if check.status == .ok {
            let https = proxyVariables.lazy.compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : ProxyChoice.displayed($0) } }.first
            check.summary = "trusting \(bundle.map { "\($0.path) (\($0.from))" } ?? "the system store"); "
                + (https.map { "https through \($0) unless no_proxy names the host" } ?? "no proxy") + "; loopback always direct"
        }
        return check
    }

    /// How many PEM certificates the bundle at `path` holds; an error naming the setting
    /// when it cannot be read or holds none (libcurl would then refuse every https request
    /// with a vague TLS error).
    static func certificates(in path: String, from source: String) -> Result<Int, PDSAuthError> {
        let shown = Redaction.terminalSafe(path, limit: 300)
        switch BoundedFile.read(path, limit: 16 << 20) {
        case .failure(let error):
            return .failure(PDSAuthError(.caBundleUnusable, "The CA bundle named by \(source) cannot be used: \(error.message)", details: ["path": shown]))
        case .success(let data):
            let count = String(decoding: data, as: UTF8.self).components(separatedBy: "-----BEGIN CERTIFICATE-----").count - 1
            guard count > 0 else {
                return .failure(PDSAuthError(.caBundleUnusable, "The CA bundle named by \(source) holds no PEM certificate", details: ["path": shown]))
            }
            return .success(count)
        }
    }
}
