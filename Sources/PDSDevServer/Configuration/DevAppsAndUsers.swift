/// An app registered with the dev server, like an app created in the PDS console (PDS
/// guides: WebServer, Native and JWT apps).
public struct DevApp: Sendable, Equatable {
    /// The AppId sent as `client_id`.
    public var clientID: String
    /// Set for WebServer apps, which must authenticate at the token endpoint
    /// (RFC 6749 §2.3.1); nil for Native (public) apps, which must use PKCE instead.
    public var clientSecret: String?
    /// Shown on the consent page.
    public var name: String
    /// Callback URLs; an authorize request's `redirect_uri` must equal one exactly
    /// (RFC 6749 §3.1.2.3, PDS Authorize API).
    public var redirectURIs: [String]
    /// The PEM (SubjectPublicKeyInfo) of the RSA key the app signs JWT-bearer assertions
    /// with (PDS JWT apps, RFC 7523).
    public var jwtPublicKeyPEM: String?
    /// Whether the app may use the JWT-bearer grant. When true and ``jwtPublicKeyPEM`` is
    /// nil the server generates the key pair at start and offers the private key as
    /// ``DevServer/generatedJWTPrivateKeyPEM``.
    public var usesJWTBearer: Bool

    public init(
        clientID: String,
        clientSecret: String? = nil,
        name: String,
        redirectURIs: [String] = [],
        jwtPublicKeyPEM: String? = nil,
        usesJWTBearer: Bool? = nil
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.name = name
        self.redirectURIs = redirectURIs
        self.jwtPublicKeyPEM = jwtPublicKeyPEM
        self.usesJWTBearer = usesJWTBearer ?? (jwtPublicKeyPEM != nil)
    }

    /// The PDS app type this registration behaves like, for the start-up summary.
    var kindDescription: String {
        var kinds: [String] = []
        if !redirectURIs.isEmpty { kinds.append(clientSecret == nil ? "Native" : "WebServer") }
        if usesJWTBearer { kinds.append("JWT") }
        return kinds.isEmpty ? "no grants" : kinds.joined(separator: " + ")
    }
}

/// A user who can sign in on the consent page or be named by a JWT-bearer assertion; the
/// fields are the user part of a PDS token response (PDS Token API).
public struct DevUser: Sendable, Equatable, Codable {
    public var userID: String
    public var userName: String
    public var nickName: String
    /// PDS roles: `superadmin`, `admin`, `user`.
    public var role: String
    public var defaultDriveID: String

    public init(userID: String, userName: String, nickName: String? = nil, role: String = "user", defaultDriveID: String = "1") {
        self.userID = userID
        self.userName = userName
        self.nickName = nickName ?? userName
        self.role = role
        self.defaultDriveID = defaultDriveID
    }
}
