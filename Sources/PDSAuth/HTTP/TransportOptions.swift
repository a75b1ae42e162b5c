/// Bounds and trust settings for every outbound transfer.
public struct TransportOptions: Sendable, Equatable {
    /// Seconds to establish TCP + TLS.
    public var connectTimeout: Double
    /// Seconds for the whole transfer, including a slowly trickled body.
    public var totalTimeout: Double
    /// Largest response body accepted; a token response is a few KiB.
    public var maxBodyBytes: Int
    /// PEM bundle of CAs to trust instead of the system's; nil = system store.
    public var caBundlePath: String?
    public var userAgent: String

    public init(connectTimeout: Double = 10, totalTimeout: Double = 30, maxBodyBytes: Int = 1 << 20,
                caBundlePath: String? = nil, userAgent: String = "pds-auth/\(PDSAuthVersion.current)") {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBodyBytes = maxBodyBytes
        self.caBundlePath = caBundlePath
        self.userAgent = userAgent
    }

    /// Defaults, with the total timeout from `PDS_AUTH_HTTP_TIMEOUT` (seconds) when set.
    public static func fromEnvironment(_ environment: [String: String], caBundleFlag: String? = nil) -> TransportOptions {
        var options = TransportOptions(caBundlePath: caBundle(flag: caBundleFlag, environment: environment))
        if let text = environment["PDS_AUTH_HTTP_TIMEOUT"], let seconds = Double(text), seconds > 0 {
            options.totalTimeout = seconds
            options.connectTimeout = min(options.connectTimeout, seconds)
        }
        return options
    }

    /// `--cacert` wins, then `CURL_CA_BUNDLE`, then `SSL_CERT_FILE` — the variables curl and
    /// OpenSSL users already set. libcurl itself reads neither, so we pass it on explicitly.
    public static func caBundle(flag: String?, environment: [String: String]) -> String? {
        for candidate in [flag, environment["CURL_CA_BUNDLE"], environment["SSL_CERT_FILE"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        return nil
    }
}

/// The version string reported in `User-Agent` and `--version`.
public enum PDSAuthVersion {
    public static let current = "0.1.0"
}
