import PDSShared

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
                DevApp(clientID: "pds-auth-demo", clientSecret: SecureRandom.hex(bytes: 16),
                       name: "pds-auth demo (WebServer app)", redirectURIs: redirectURIs),
                DevApp(clientID: "pds-auth-native", name: "pds-auth demo (Native app)", redirectURIs: redirectURIs),
                DevApp(clientID: "pds-auth-jwt", name: "pds-auth demo (JWT app)", redirectURIs: redirectURIs,
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
