import PDSShared

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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

extension DevServerConfiguration {
    /// Checks what `init` cannot: the properties are mutable, so ``DevServer`` validates
    /// again before it listens.
    func validate() throws(DevServerError) {
        guard LoopbackHost.isLoopback(host) else { throw .nonLoopbackHost(host) }
        guard (0...65535).contains(port) else { throw .invalidPort(port) }
        guard !domainID.isEmpty else { throw .emptyDomainID }
        for (name, value) in [
            ("accessTokenLifetime", accessTokenLifetime), ("codeLifetime", codeLifetime),
            ("maxAssertionLifetime", maxAssertionLifetime),
        ] where value <= 0 {
            throw .nonPositiveLifetime(name)
        }
        try validateUsers()
        try validateApps()
    }

    private func validateUsers() throws(DevServerError) {
        guard !users.isEmpty else { throw .noUsers }
        var seen: Set<String> = []
        for user in users {
            guard seen.insert(user.userID).inserted else { throw .duplicateUserID(user.userID) }
        }
    }

    private func validateApps() throws(DevServerError) {
        var seen: Set<String> = []
        for app in apps {
            guard !app.clientID.isEmpty else { throw .emptyClientID }
            guard seen.insert(app.clientID).inserted else { throw .duplicateClientID(app.clientID) }
            for uri in app.redirectURIs where !Self.isValidRedirectURI(uri) {
                throw .invalidRedirectURI(clientID: app.clientID, uri: uri)
            }
        }
    }

    /// RFC 6749 §3.1.2: absolute, no fragment. Only http(s): the dev server redirects a
    /// browser to it.
    static func isValidRedirectURI(_ uri: String) -> Bool {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.fragment == nil, !uri.contains("#")
        else { return false }
        return true
    }
}

extension DevServerConfiguration {
    /// The `domain_id` rule of the PDS Authorize and Token references (2026 revision: the
    /// first parameter, required): present and equal to ``domainID``, or, when
    /// ``requiresDomainID`` is false as in the older references, absent. A repeated
    /// `domain_id` is refused by the callers with their other repeated parameters
    /// (RFC 6749 §3.1, §3.2).
    func checkDomainID(_ fields: FormFields) throws(PDSError) {
        guard let domainID = fields["domain_id"] else {
            if requiresDomainID { throw .missing("domain_id") }
            return
        }
        // The domain id is public (it is in the host name), so naming the right one helps
        // and reveals nothing.
        guard domainID == self.domainID else {
            throw PDSError(.domainID, "domain_id names another domain; this server is the domain \(self.domainID)")
        }
    }
}

extension DevServerConfiguration {
    /// A ready-made configuration: one WebServer app (`pds-auth-demo`, with a random client
    /// secret), one Native app (`pds-auth-native`, no secret, PKCE) and one JWT app
    /// (`pds-auth-jwt`, key pair generated at start), all registering `redirectURIs`, and
    /// three demo users of which `pdsuser` (an admin) is the default.
    public static func demo(redirectURIs: [String], port: Int = 8780) -> DevServerConfiguration {
        DevServerConfiguration(
            checkedHost: "127.0.0.1",
            port: port,
            apps: [
                DevApp(
                    clientID: "pds-auth-demo", clientSecret: SecureRandom.hex(bytes: 16),
                    name: "pds-auth demo (WebServer app)", redirectURIs: redirectURIs),
                DevApp(clientID: "pds-auth-native", name: "pds-auth demo (Native app)", redirectURIs: redirectURIs),
                DevApp(
                    clientID: "pds-auth-jwt", name: "pds-auth demo (JWT app)", redirectURIs: redirectURIs,
                    usesJWTBearer: true),
            ],
            users: [
                DevUser(userID: "pdsuser-0001", userName: "pdsuser", nickName: "PDS User", role: "admin", defaultDriveID: "1"),
                DevUser(userID: "alice-0002", userName: "alice", nickName: "Alice", role: "user", defaultDriveID: "2"),
                DevUser(userID: "bob-0003", userName: "bob", nickName: "Bob", role: "user", defaultDriveID: "3"),
            ]
        )
    }

    /// For hosts known to be loopback at compile time, so `demo` need not throw.
    private init(checkedHost: String, port: Int, apps: [DevApp], users: [DevUser]) {
        self.host = checkedHost
        self.port = port
        self.domainID = "dev"
        self.apps = apps
        self.users = users
        self.accessTokenLifetime = 3600
        self.codeLifetime = 60
        self.maxAssertionLifetime = 3600
    }
}
