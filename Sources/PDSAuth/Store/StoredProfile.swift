import FoundationEssentials

/// One named set of credentials: everything a later refresh or re-assertion needs
/// (endpoints, client, domain, redirect URI) plus the tokens and their absolute expiry.
public struct StoredProfile: Codable, Sendable, Equatable {
    /// How the profile was obtained, and so how it is renewed.
    public enum Grant: String, Codable, Sendable {
        /// Browser sign-in; renewed with the refresh token (RFC 6749 §6).
        case authorizationCode = "authorization_code"
        /// A JWT app; renewed with a new assertion (RFC 7523).
        case jwtBearer = "jwt_bearer"
        /// Device sign-in (RFC 8628); renewed with the refresh token, like a browser sign-in.
        case deviceCode = "device_code"
    }

    /// How the profile was obtained, and so how it is renewed.
    public var grant: Grant
    /// The provider the tokens came from and are renewed at.
    public var endpoints: ProviderEndpoints
    /// Sent as `domain_id` on every token request when set (PDS Token API, 2026 revision).
    public var domainID: String?
    /// The app the tokens were issued to.
    public var clientID: String
    /// Only for apps that have one (WebServer apps); Native apps have none.
    public var clientSecret: String?
    /// The redirect URI the sign-in used (a browser sign-in only).
    public var redirectURI: String?
    /// The scope asked for, or granted when the server said.
    public var scope: String?
    /// A CA bundle named with `--cacert`, used again for renewals.
    public var caBundlePath: String?
    /// The current access token.
    public var accessToken: String
    /// The refresh token, when one was issued; PDS rotates it on every refresh.
    public var refreshToken: String?
    /// The token type, normally `Bearer`.
    public var tokenType: String?
    /// When the access token expires (absolute, from `expires_in` on receipt), if known.
    public var expiresAt: Date?
    /// When the current tokens were received.
    public var obtainedAt: Date
    /// Who the tokens belong to, as PDS named them; nil for a generic provider.
    public var user: StoredUser?
    /// For a JWT app: how a new assertion is made at each renewal.
    public var jwt: JWTSettings?
    /// The app is a public client (a Native app: no client secret); a later `login` of this
    /// profile does not ask for one. Written only when true.
    public var publicClient: Bool?
    /// For a profile made against the built-in dev server (`login --dev`): its state
    /// directory, so that when it does not answer pds-auth can say how to start it again.
    public var devServer: String?
    /// Where the secrets (`clientSecret`, `accessToken`, `refreshToken`) are kept; the file
    /// names the store only for profiles not in the file (an absent member means `file`).
    public var secretStore: SecretStoreKind {
        get { store ?? .file }
        set { store = newValue == .file ? nil : newValue }
    }
    var store: SecretStoreKind?
    /// For `secret-service` profiles: the profile's items (`profile-id`) and the one holding
    /// its secrets now (`generation`); see `CredentialStore+Secrets.swift`.
    var secretID: String?
    var secretGeneration: String?

    public init(
        grant: Grant, endpoints: ProviderEndpoints, domainID: String?, clientID: String, clientSecret: String?,
        redirectURI: String?, scope: String?, caBundlePath: String?, accessToken: String, refreshToken: String?,
        tokenType: String?, expiresAt: Date?, obtainedAt: Date, user: StoredUser?, jwt: JWTSettings? = nil
    ) {
        self.grant = grant
        self.endpoints = endpoints
        self.domainID = domainID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.scope = scope
        self.caBundlePath = caBundlePath
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.expiresAt = expiresAt
        self.obtainedAt = obtainedAt
        self.user = user
        self.jwt = jwt
    }

    /// The names this version writes; any other member of a profile is kept as it is.
    static let knownKeys: Set<String> = [
        "grant", "endpoints", "domainID", "clientID", "clientSecret", "redirectURI", "scope",
        "caBundlePath", "accessToken", "refreshToken", "tokenType", "expiresAt", "obtainedAt",
        "user", "jwt", "publicClient", "devServer", "store", "secretID", "secretGeneration",
    ]

    /// The members that hold secrets: the file never has them for a `secret-service` profile.
    static let secretKeys: Set<String> = ["clientSecret", "accessToken", "refreshToken"]

    /// Why this profile cannot be used as read from a file, or nil. A hand-edited or
    /// damaged profile is refused on its own; the other profiles stay usable.
    var problem: String? {
        guard TokenResponse.isTokenText(accessToken) else { return "its access token is not printable ASCII" }
        if let refreshToken, !TokenResponse.isTokenText(refreshToken) { return "its refresh token is not printable ASCII" }
        if let jwt, let problem = jwt.problem { return problem }
        return nil
    }
}

/// Who the token belongs to, as PDS names them: in the token response (saved with the
/// profile) and in `POST /v2/user/get` (`status --verify`, which adds `status`). The one
/// user model of the library; a generic provider says nothing about the user (no value).
public struct StoredUser: Codable, Sendable, Equatable {
    public var userID: String?
    public var userName: String?
    public var nickName: String?
    public var domainID: String?
    public var defaultDriveID: String?
    public var role: String?
    /// The account's state (`enabled`, `disabled`), from `/v2/user/get` only; never saved.
    public var status: String?

    public init(
        userID: String?, userName: String?, nickName: String?, domainID: String?, defaultDriveID: String?, role: String?,
        status: String? = nil
    ) {
        self.userID = userID
        self.userName = userName
        self.nickName = nickName
        self.domainID = domainID
        self.defaultDriveID = defaultDriveID
        self.role = role
        self.status = status
    }

    /// The user's name for people: the user name, else the nickname; empty values (a
    /// service account's) count as none.
    public var name: String? { [userName, nickName].lazy.compactMap { $0 }.first { !$0.isEmpty } }

    /// What to call the user wherever one line names them: `name`, else the user id.
    public var displayName: String? { name ?? userID.flatMap { $0.isEmpty ? nil : $0 } }
}

/// How a JWT-bearer profile mints its next assertion (RFC 7523 §3; PDS JWT apps): the key's
/// path (never the key), the subject, and the assertion's lifetime and clock-skew allowance,
/// kept in the file as whole seconds.
public struct JWTSettings: Codable, Sendable, Equatable {
    public var privateKeyPath: String
    public var subject: String
    /// `user` or `service`.
    public var subjectType: String
    public var autoCreate: Bool
    public var lifetime: Duration
    public var clockSkew: Duration

    /// The assertion lifetimes pds-auth accepts (the docs' samples use 60–300 s).
    public static let lifetimeRange = 1...3600
    /// The backdating of `iat`/`nbf` pds-auth accepts.
    public static let clockSkewRange = 0...600

    public init(
        privateKeyPath: String, subject: String, subjectType: String, autoCreate: Bool,
        lifetime: Duration = .seconds(300), clockSkew: Duration = .seconds(30)
    ) {
        self.privateKeyPath = privateKeyPath
        self.subject = subject
        self.subjectType = subjectType
        self.autoCreate = autoCreate
        self.lifetime = lifetime
        self.clockSkew = clockSkew
    }

    enum CodingKeys: String, CodingKey { case privateKeyPath, subject, subjectType, autoCreate, lifetime, clockSkew }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        privateKeyPath = try container.decode(String.self, forKey: .privateKeyPath)
        subject = try container.decode(String.self, forKey: .subject)
        subjectType = try container.decode(String.self, forKey: .subjectType)
        autoCreate = try container.decode(Bool.self, forKey: .autoCreate)
        lifetime = .seconds(try container.decode(Int.self, forKey: .lifetime))
        clockSkew = .seconds(try container.decode(Int.self, forKey: .clockSkew))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(privateKeyPath, forKey: .privateKeyPath)
        try container.encode(subject, forKey: .subject)
        try container.encode(subjectType, forKey: .subjectType)
        try container.encode(autoCreate, forKey: .autoCreate)
        try container.encode(lifetime.components.seconds, forKey: .lifetime)
        try container.encode(clockSkew.components.seconds, forKey: .clockSkew)
    }

    var problem: String? {
        guard Self.lifetimeRange.contains(Int(clamping: lifetime.components.seconds)),
            Self.clockSkewRange.contains(Int(clamping: clockSkew.components.seconds))
        else {
            return "its JWT lifetime or clock skew is out of range"
        }
        guard subjectType == "user" || subjectType == "service" else { return "its JWT subject type is neither user nor service" }
        return nil
    }
}

extension StoredProfile {
    /// Applies a refresh or re-assertion: new tokens replace old ones; a refresh token the
    /// server did not rotate is kept (RFC 6749 §6 lets it omit one).
    package mutating func apply(_ response: TokenResponse, receivedAt: Date) {
        accessToken = response.accessToken
        if let refreshed = response.refreshToken { refreshToken = refreshed }
        tokenType = response.tokenType ?? tokenType
        expiresAt = response.expiresAt
        obtainedAt = receivedAt
        if response.userID != nil || response.userName != nil { user = StoredUser(response) }
    }
}

extension StoredUser {
    package init(_ response: TokenResponse) {
        self.init(
            userID: response.userID, userName: response.userName, nickName: response.nickName,
            domainID: response.domainID, defaultDriveID: response.defaultDriveID, role: response.role)
    }
}
