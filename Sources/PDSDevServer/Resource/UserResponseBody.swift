/// The answer of `POST /v2/user/get` (PDS GetUser API): the user fields of a PDS token
/// response plus the record's times, which PDS sends as epoch milliseconds (numbers).
struct UserResponseBody: Codable, Sendable, Equatable {
    var userID: String
    var userName: String
    var nickName: String
    var domainID: String
    var role: String
    var status = "enabled"
    var defaultDriveID: String
    var createdAt: Int64
    var updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", userName = "user_name", nickName = "nick_name", domainID = "domain_id", role, status
        case defaultDriveID = "default_drive_id", createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ user: DevUser, domainID: String) {
        self.userID = user.userID
        self.userName = user.userName
        self.nickName = user.nickName
        self.domainID = domainID
        self.role = user.role
        self.defaultDriveID = user.defaultDriveID
        self.createdAt = DemoDrive.epochMilliseconds
        self.updatedAt = DemoDrive.epochMilliseconds
    }
}
