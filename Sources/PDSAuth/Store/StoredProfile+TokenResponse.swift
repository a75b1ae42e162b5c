#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StoredProfile {
    /// The profile a successful authorization-code exchange produces.
    init(authorizationCode response: TokenResponse, receivedAt: Date, config: LoginConfiguration, redirectURI: String) {
        self.init(grant: "authorization_code", endpoints: config.endpoints, domainID: response.domainID ?? config.domainID,
                  clientID: config.clientID, clientSecret: config.clientSecret, redirectURI: redirectURI, scope: config.scope,
                  caBundlePath: config.rememberedCABundle, accessToken: response.accessToken,
                  refreshToken: response.refreshToken, tokenType: response.tokenType,
                  expiresAt: response.expiry(receivedAt: receivedAt), obtainedAt: receivedAt,
                  user: StoredUser(response))
    }

    /// Applies a refresh or re-assertion: new tokens replace old ones; a refresh token the
    /// server did not rotate is kept (RFC 6749 §6 lets it omit one).
    public mutating func apply(_ response: TokenResponse, receivedAt: Date) {
        accessToken = response.accessToken
        if let refreshed = response.refreshToken { refreshToken = refreshed }
        tokenType = response.tokenType ?? tokenType
        expiresAt = response.expiry(receivedAt: receivedAt)
        obtainedAt = receivedAt
        if response.userID != nil || response.userName != nil { user = StoredUser(response) }
    }
}

extension StoredUser {
    init(_ response: TokenResponse) {
        self.init(userID: response.userID, userName: response.userName, nickName: response.nickName,
                  domainID: response.domainID, defaultDriveID: response.defaultDriveID, role: response.role)
    }
}
