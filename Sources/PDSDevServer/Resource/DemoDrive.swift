#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What every user's default drive holds, the same for every drive and every run so tests
/// can assert on names and ids: under `root` (the top, PDS ListFile API) the folders
/// `Documents` and `Photos`, then `file-001.txt` … `file-250.txt` (252 entries: three pages
/// at the maximum `limit` of 100); three PDFs in `Documents`, four JPEGs in `Photos`.
/// Listed folders first, then files, each by name.
enum DemoDrive {
    /// 2024-01-01T00:00:00Z: when every demo record was created.
    static let epoch = Date(timeIntervalSince1970: 1_704_067_200)
    static let epochMilliseconds: Int64 = 1_704_067_200_000
    /// PDS: the id of the top folder of a drive.
    static let root = "root"
    static let rootFileCount = 250
    /// 10 GiB.
    static let totalSize: Int64 = 10 << 30

    /// One entry of the tree, without the drive it is listed in.
    struct Entry: Sendable {
        var id: String
        var parentID: String
        var name: String
        /// Nil for folders.
        var size: Int64?
        var contentType: String?
        var isFolder: Bool { size == nil }
    }

    static let entries: [Entry] = {
        var entries = [
            Entry(id: "folder-documents", parentID: root, name: "Documents"),
            Entry(id: "folder-photos", parentID: root, name: "Photos"),
        ]
        for index in 1...rootFileCount {
            let number = String(repeating: "0", count: 3 - String(index).count) + String(index)
            entries.append(
                Entry(
                    id: "file-\(number)", parentID: root, name: "file-\(number).txt", size: Int64(index) * 1024,
                    contentType: "text/plain"))
        }
        for index in 1...3 {
            entries.append(
                Entry(
                    id: "documents-\(index)", parentID: "folder-documents", name: "report-\(index).pdf",
                    size: Int64(index) * 100_000, contentType: "application/pdf"))
        }
        for index in 1...4 {
            entries.append(
                Entry(
                    id: "photos-\(index)", parentID: "folder-photos", name: "photo-\(index).jpg",
                    size: 2_000_000 + Int64(index) * 1000, contentType: "image/jpeg"))
        }
        return entries
    }()

    /// The user's default drive; nil for a user without one (the domain's service account).
    static func drive(of user: DevUser, domainID: String) -> DriveItem? {
        guard !user.defaultDriveID.isEmpty else { return nil }
        let used = entries.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        return DriveItem(
            driveID: user.defaultDriveID, driveName: "Default", owner: user.userID, totalSize: totalSize,
            usedSize: used, domainID: domainID, createdAt: ISO8601Milliseconds.string(from: epoch))
    }

    /// The entries directly under `parentID` in the drive `driveID`, in listing order; nil
    /// when `parentID` is neither `root` nor a folder.
    static func children(of parentID: String, driveID: String) -> [FileItem]? {
        guard parentID == root || entries.contains(where: { $0.id == parentID && $0.isFolder }) else { return nil }
        return entries.enumerated().filter { $0.element.parentID == parentID }.map { position, entry in
            // Each entry gets its own minute, so times are distinct and stable.
            let created = epoch.addingTimeInterval(Double(position) * 60)
            return FileItem(
                driveID: driveID, fileID: entry.id, parentFileID: entry.parentID, name: entry.name,
                type: entry.isFolder ? "folder" : "file", size: entry.size, contentType: entry.contentType,
                createdAt: ISO8601Milliseconds.string(from: created),
                updatedAt: ISO8601Milliseconds.string(from: created.addingTimeInterval(3600)))
        }
    }
}

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
        case userID = "user_id"
        case userName = "user_name"
        case nickName = "nick_name"
        case domainID = "domain_id"
        case role, status
        case defaultDriveID = "default_drive_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
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
        case driveID = "drive_id"
        case driveName = "drive_name"
        case driveType = "drive_type"
        case owner
        case ownerType = "owner_type"
        case status
        case totalSize = "total_size"
        case usedSize = "used_size"
        case domainID = "domain_id"
        case createdAt = "created_at"
    }
}

/// A file or folder as `POST /v2/file/list` lists it (PDS ListFile API). Folders have no
/// `size` or `content_type`: the keys are left out, not sent as null. Times are ISO 8601
/// UTC with milliseconds.
struct FileItem: Codable, Sendable, Equatable {
    var driveID: String
    var fileID: String
    var parentFileID: String
    var name: String
    /// `file` or `folder`.
    var type: String
    var size: Int64?
    var contentType: String?
    var createdAt: String
    var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case driveID = "drive_id"
        case fileID = "file_id"
        case parentFileID = "parent_file_id"
        case name, type, size
        case contentType = "content_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
