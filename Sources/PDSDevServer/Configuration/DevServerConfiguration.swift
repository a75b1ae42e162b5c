/// Everything a ``DevServer`` serves: where it listens, the PDS domain it pretends to be,
/// its apps and users, and the lifetimes of what it issues.
public struct DevServerConfiguration: Sendable {
    /// Must be loopback: 127.0.0.0/8, `::1` or `localhost` (RFC 8252 §8.3).
    public var host: String
    /// 0 asks the operating system for a free port.
    public var port: Int
    /// The PDS domain id: the `aud` of JWT-bearer assertions (RFC 7523 §3) and the `sub`
    /// of service assertions (PDS JWT apps), and `domain_id` in token responses.
    public var domainID: String
    public var apps: [DevApp]
    /// The first is preselected on the consent page.
    public var users: [DevUser]
    /// Seconds an access token lives (`expires_in`, PDS Token API; PDS uses 3600 → 7200).
    public var accessTokenLifetime: Int
    /// Seconds an authorization code lives (RFC 6749 §4.1.2 recommends at most 10 minutes).
    public var codeLifetime: Int
    /// How far ahead of now a JWT-bearer assertion's `exp` may be (RFC 7523 §3 lets the
    /// server reject assertions with an unreasonably far expiry).
    public var maxAssertionLifetime: Int
    /// Accept a loopback IP redirect URI that differs from a registered one only in its port
    /// (RFC 8252 §7.3). PDS itself matches exactly, so this is off unless asked: tests and
    /// `login --dev` turn it on to use ephemeral ports.
    public var allowsAnyLoopbackPort = false
    /// Refuse authorize and token requests without `domain_id`. The 2026 revision of the
    /// PDS Authorize and Token references lists `domain_id` as their first, required
    /// parameter; the older text omits it, so `false` imitates servers that predate it.
    /// A `domain_id` naming another domain is refused either way.
    public var requiresDomainID = true
    /// Where the server keeps its keys, client secrets and what it issued across restarts
    /// (see ``DevServer/stateDirectory``); nil keeps everything in memory, fresh each start.
    public var stateDirectory: String?

    /// - Throws: ``DevServerError/nonLoopbackHost(_:)`` when `host` is not loopback.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8780,
        domainID: String = "dev",
        apps: [DevApp] = [],
        users: [DevUser] = [],
        accessTokenLifetime: Int = 3600,
        codeLifetime: Int = 60,
        maxAssertionLifetime: Int = 3600
    ) throws(DevServerError) {
        guard LoopbackHost.isLoopback(host) else { throw .nonLoopbackHost(host) }
        self.host = host
        self.port = port
        self.domainID = domainID
        self.apps = apps
        self.users = users
        self.accessTokenLifetime = accessTokenLifetime
        self.codeLifetime = codeLifetime
        self.maxAssertionLifetime = maxAssertionLifetime
    }
}
