/// A drive as `POST /v2/drive/list` lists it (PDS ListDrive API). Times are ISO 8601 UTC
/// with milliseconds, as PDS prints drive and file times (unlike user times).
struct DriveItem: Codable, Sendable, Equatable {
    var driveID: String
    var driveName: String
    /// PDS: `normal` for a user's own drive.
    var driveType = "normal"
    var owner: String
    /// PDS: `user` or `group`.
    var ownerType = "user"
    var status = "enabled"
    var totalSize: Int64
    var usedSize: Int64
    var domainID: String
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case driveID = "drive_id", driveName = "drive_name", driveType = "drive_type", owner, ownerType = "owner_type"
        case status, totalSize = "total_size", usedSize = "used_size", domainID = "domain_id", createdAt = "created_at"
    }
}
