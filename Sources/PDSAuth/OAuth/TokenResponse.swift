import FoundationEssentials

/// A successful `POST /v2/oauth/token` answer (PDS Token API; RFC 6749 §5.1), validated:
/// every value is in a range the credentials file stores and reads back, so nothing a token
/// endpoint sends can make the file unreadable (see `TokenResponse.decode`).
public struct TokenResponse: Sendable, Equatable {
    /// The access token (RFC 6749 §5.1), printable ASCII, at most 16 KiB.
    public var accessToken: String
    /// The refresh token, when one was issued; PDS rotates it on every refresh.
    public var refreshToken: String?
    /// The token type, normally `Bearer`.
    public var tokenType: String?
    /// When the access token stops working: from `expires_in` counted from when the request
    /// was sent, else PDS's absolute `expire_time`, else unknown.
    public var expiresAt: Date?
    /// The scope granted, when the server said.
    public var scope: String?
    /// PDS: the signed-in user's id.
    public var userID: String?
    /// PDS: the user's name.
    public var userName: String?
    /// PDS: the user's nickname.
    public var nickName: String?
    /// PDS: the domain the user belongs to.
    public var domainID: String?
    /// PDS: the user's default drive (empty for a service account).
    public var defaultDriveID: String?
    /// PDS: the user's role (`user`, `admin`, …).
    public var role: String?

    /// A response with these values (fakes and tests build them; servers' answers go
    /// through `decode`).
    public init(accessToken: String, refreshToken: String? = nil, tokenType: String? = nil, expiresAt: Date? = nil,
                scope: String? = nil, userID: String? = nil, userName: String? = nil, nickName: String? = nil,
                domainID: String? = nil, defaultDriveID: String? = nil, role: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.expiresAt = expiresAt
        self.scope = scope
        self.userID = userID
        self.userName = userName
        self.nickName = nickName
        self.domainID = domainID
        self.defaultDriveID = defaultDriveID
        self.role = role
    }
}
