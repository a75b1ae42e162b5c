/// A successful token response with every field of the PDS Token API's sample, so a
/// client's decoder meets the real shape (RFC 6749 §5.1 fields plus PDS's user fields).
struct TokenResponseBody: Codable, Sendable, Equatable {
    var accessToken: String
    /// Absent for the JWT-bearer grant: PDS JWT apps assert again instead of refreshing
    /// (RFC 7523 §2.1 makes refresh tokens optional for it).
    var refreshToken: String?
    var expiresIn: Int
    var tokenType = "Bearer"
    /// ISO 8601 UTC with milliseconds, e.g. `2019-09-01T06:57:48.813Z`.
    var expireTime: String
    var userID: String
    var userName: String
    var nickName: String
    var avatar = ""
    var defaultDriveID: String
    var defaultSboxDriveID = ""
    var role: String
    var status = "enabled"
    var isFirstLogin: Bool
    var deviceID: String
    var deviceName: String
    var domainID: String
    var subdomainID = ""
    var userData: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", refreshToken = "refresh_token", expiresIn = "expires_in"
        case tokenType = "token_type", expireTime = "expire_time", userID = "user_id", userName = "user_name"
        case nickName = "nick_name", avatar, defaultDriveID = "default_drive_id"
        case defaultSboxDriveID = "default_sbox_drive_id", role, status, isFirstLogin = "is_first_login"
        case deviceID = "device_id", deviceName = "device_name", domainID = "domain_id"
        case subdomainID = "subdomain_id", userData = "user_data"
    }
}
