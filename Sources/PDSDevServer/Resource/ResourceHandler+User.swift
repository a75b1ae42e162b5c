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
