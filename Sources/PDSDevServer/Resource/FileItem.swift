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
        case driveID = "drive_id", fileID = "file_id", parentFileID = "parent_file_id", name, type, size
        case contentType = "content_type", createdAt = "created_at", updatedAt = "updated_at"
    }
}
