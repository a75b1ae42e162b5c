import FoundationEssentials

/// A successful `POST /v2/oauth/token` answer (PDS Token API; RFC 6749 §5.1), validated:
/// every value is in a range the credentials file stores and reads back, so nothing a token
/// endpoint sends can make the file unreadable (see `TokenResponse.decode`).
public struct TokenResponse: Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String?
    public var tokenType: String?
    /// When the access token stops working: from `expires_in` counted from when the request
    /// was sent, else PDS's absolute `expire_time`, else unknown.
    public var expiresAt: Date?
    public var scope: String?
    public var userID: String?
    public var userName: String?
    public var nickName: String?
    public var domainID: String?
    public var defaultDriveID: String?
    public var role: String?

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
