import Hummingbird

/// The PDS resource APIs this server answers, so a client can call PDS against it:
/// `POST /v2/user/get`, `/v2/drive/list` and `/v2/file/list` (PDS API reference: `POST`,
/// a JSON object as body, `Authorization: Bearer <access token>`). Each call is counted,
/// then its access token is checked before the body is read (a caller that cannot be
/// identified learns nothing about its request), and the answer is JSON with the headers
/// of the token endpoint.
struct ResourceHandler: Sendable {
    let state: DevServerState

    /// Counts the call, authenticates the caller, reads the body and answers with what
    /// `answer` makes of them.
    func respond<Answer: Encodable>(
        _ endpoint: Endpoint, to request: Request, context: DevServerRequestContext,
        answer: (JSONObject, DevUser) async throws(PDSError) -> Answer
    ) async throws(PDSError) -> Response {
        await state.statistics.resourceRequest(endpoint)
        do {
            let grant = try await BearerAuthenticator(state: state).authenticate(request.headers[.authorization])
            let body = try await BodyReader.jsonObject(request, context: context)
            return JSONResponse.ok(try await answer(body, grant.user))
        } catch {
            if error.code == .accessTokenInvalid { await state.statistics.resourceUnauthorized() }
            state.logger.notice(
                "Resource call refused",
                metadata: ["path": "\(endpoint.rawValue)", "code": "\(error.code.rawValue)", "reason": "\(error.message)"])
            throw error
        }
    }

    var pager: Pager {
        Pager(markers: state.markers)
    }
}

extension ResourceHandler {
    /// PDS roles that may read other users (PDS GetUser API: administrators manage the
    /// domain's users).
    static let administratorRoles: Set<String> = ["admin", "superadmin"]

    /// `POST /v2/user/get` (PDS GetUser API): the caller, or with `user_id` another user of
    /// the domain, which only an administrator may read.
    func user(_ body: JSONObject, caller: DevUser) async throws(PDSError) -> UserResponseBody {
        let domainID = state.configuration.domainID
        guard let id = try body.string("user_id"), id != caller.userID else {
            return UserResponseBody(caller, domainID: domainID)
        }
        guard Self.administratorRoles.contains(caller.role) else {
            throw PDSError(.forbidden, "Only an admin or superadmin may read another user; the caller's role is \(caller.role)")
        }
        guard let other = await state.users.user(id) else { throw PDSError(.notFoundUser, "No user with the id \(id)") }
        return UserResponseBody(other, domainID: domainID)
    }
}

extension ResourceHandler {
    /// `POST /v2/drive/list` (PDS ListDrive API): the caller's drives, which here is its
    /// default drive (none for the service account). Pages like every list (`limit`,
    /// `marker`).
    func driveList(_ body: JSONObject, caller: DevUser) throws(PDSError) -> ListResponseBody<DriveItem> {
        let limit = try Pager.limit(body)
        let drives = DemoDrive.drive(of: caller, domainID: state.configuration.domainID).map { [$0] } ?? []
        let page = try pager.page(drives, limit: limit, marker: try body.string("marker"), listing: "drives\u{0}\(caller.userID)")
        return ListResponseBody(items: page.items, nextMarker: page.nextMarker)
    }
}

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
