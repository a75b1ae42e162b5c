extension ResourceHandler {
    /// `POST /v2/file/list` (PDS ListFile API): one page of the entries directly under
    /// `parent_file_id` (`root` for the top) in `drive_id`, which must be the caller's.
    func fileList(_ body: JSONObject, caller: DevUser) async throws(PDSError) -> ListResponseBody<FileItem> {
        let limit = try Pager.limit(body)
        guard let driveID = try body.string("drive_id") else { throw .missing("drive_id") }
        guard let parentID = try body.string("parent_file_id") else { throw .missing("parent_file_id") }
        try await checkDrive(driveID, caller: caller)
        guard let items = DemoDrive.children(of: parentID, driveID: driveID) else {
            throw PDSError(.notFoundFile, "parent_file_id names no folder in the drive \(driveID)")
        }
        let listing = "files\u{0}\(driveID)\u{0}\(parentID)"
        let page = try pager.page(items, limit: limit, marker: try body.string("marker"), listing: listing)
        return ListResponseBody(items: page.items, nextMarker: page.nextMarker)
    }

    /// A drive is readable by its owner only: another user's drive is 403 `Forbidden`, a
    /// drive nobody owns 404 `NotFound.Drive` (PDS error codes).
    private func checkDrive(_ driveID: String, caller: DevUser) async throws(PDSError) {
        if driveID == caller.defaultDriveID { return }
        guard await state.users.all().contains(where: { $0.defaultDriveID == driveID }) else {
            throw PDSError(.notFoundDrive, "No drive with the id \(driveID)")
        }
        throw PDSError(.forbidden, "The drive \(driveID) belongs to another user")
    }
}
