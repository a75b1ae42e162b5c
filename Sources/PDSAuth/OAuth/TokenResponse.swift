#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A successful `POST /v2/oauth/token` answer (PDS Token API; RFC 6749 §5.1). Decoded
/// leniently: only `access_token` is required, every other field may be missing or of an
/// unexpected JSON type, and unknown fields are ignored.
public struct TokenResponse: Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String?
    public var tokenType: String?
    public var expiresIn: Int?
    /// PDS `expire_time`, ISO 8601 UTC with or without fractional seconds.
    public var expireTime: Date?
    public var scope: String?
    public var userID: String?
    public var userName: String?
    public var nickName: String?
    public var domainID: String?
    public var defaultDriveID: String?
    public var role: String?

    public init(accessToken: String, refreshToken: String? = nil, tokenType: String? = nil, expiresIn: Int? = nil,
                expireTime: Date? = nil, scope: String? = nil, userID: String? = nil, userName: String? = nil,
                nickName: String? = nil, domainID: String? = nil, defaultDriveID: String? = nil, role: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.expireTime = expireTime
        self.scope = scope
        self.userID = userID
        self.userName = userName
        self.nickName = nickName
        self.domainID = domainID
        self.defaultDriveID = defaultDriveID
        self.role = role
    }

    /// When the access token stops working: PDS's absolute `expire_time` when present,
    /// else `expires_in` counted from `receivedAt`, else unknown.
    public func expiry(receivedAt: Date) -> Date? {
        if let expireTime { return expireTime }
        if let expiresIn { return receivedAt.addingTimeInterval(TimeInterval(expiresIn)) }
        return nil
    }
}
