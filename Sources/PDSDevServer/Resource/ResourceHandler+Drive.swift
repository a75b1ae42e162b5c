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
