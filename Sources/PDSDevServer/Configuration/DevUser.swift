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
