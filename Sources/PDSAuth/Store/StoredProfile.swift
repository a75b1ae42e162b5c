#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One named set of credentials: everything a later refresh or re-assertion needs
/// (endpoints, client, redirect URI) plus the tokens and their absolute expiry.
public struct StoredProfile: Codable, Sendable, Equatable {
    /// `authorization_code` or `jwt_bearer`: how the profile was obtained and is renewed.
    public var grant: String
    public var endpoints: ProviderEndpoints
    public var domainID: String?
    public var clientID: String
    /// Only for apps that have one (WebServer apps); Native apps have none.
    public var clientSecret: String?
    public var redirectURI: String?
    public var scope: String?
    public var caBundlePath: String?
    public var accessToken: String
    public var refreshToken: String?
    public var tokenType: String?
    public var expiresAt: Date?
    public var obtainedAt: Date
    public var user: StoredUser?
    public var jwt: JWTSettings?

    public init(grant: String, endpoints: ProviderEndpoints, domainID: String?, clientID: String, clientSecret: String?,
                redirectURI: String?, scope: String?, caBundlePath: String?, accessToken: String, refreshToken: String?,
                tokenType: String?, expiresAt: Date?, obtainedAt: Date, user: StoredUser?, jwt: JWTSettings? = nil) {
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
}

/// Who the token belongs to, as the PDS token response names them.
public struct StoredUser: Codable, Sendable, Equatable {
    public var userID: String?
    public var userName: String?
    public var nickName: String?
    public var domainID: String?
    public var defaultDriveID: String?
    public var role: String?

    public init(userID: String?, userName: String?, nickName: String?, domainID: String?, defaultDriveID: String?, role: String?) {
        self.userID = userID
        self.userName = userName
        self.nickName = nickName
        self.domainID = domainID
        self.defaultDriveID = defaultDriveID
        self.role = role
    }
}

/// How a JWT-bearer profile mints its next assertion. The key's path, never the key.
public struct JWTSettings: Codable, Sendable, Equatable {
    public var privateKeyPath: String
    public var subject: String
    public var subjectType: String
    public var autoCreate: Bool
    public var lifetime: Int
    public var clockSkew: Int

    public init(privateKeyPath: String, subject: String, subjectType: String, autoCreate: Bool, lifetime: Int, clockSkew: Int) {
        self.privateKeyPath = privateKeyPath
        self.subject = subject
        self.subjectType = subjectType
        self.autoCreate = autoCreate
        self.lifetime = lifetime
        self.clockSkew = clockSkew
    }
}
