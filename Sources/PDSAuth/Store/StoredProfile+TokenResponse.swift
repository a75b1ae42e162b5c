import FoundationEssentials

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
        self.init(userID: response.userID, userName: response.userName, nickName: response.nickName,
                  domainID: response.domainID, defaultDriveID: response.defaultDriveID, role: response.role)
    }
}
