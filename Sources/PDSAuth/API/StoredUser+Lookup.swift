import FoundationEssentials

/// What PDS's `POST /v2/user/get` says about the signed-in user: enough to tell that the
/// session works and whose it is (`status --verify`).
extension StoredUser {
    /// Decodes an answer leniently (ids may be numbers; each value cut at 1 KiB); nil when
    /// it is not a JSON object.
    package init?(userGetAnswer body: Data) {
        guard let object = try? JSONDecoder().decode(JSONScalarObject.self, from: body) else { return nil }
        func text(_ key: String) -> String? { object[key]?.text.map { String($0.prefix(1024)) } }
        self.init(userID: text("user_id"), userName: text("user_name"), nickName: text("nick_name"), domainID: text("domain_id"),
                  defaultDriveID: text("default_drive_id"), role: text("role"), status: text("status"))
    }

    /// Asks the server who the profile's token belongs to. Throws when the session does not
    /// work (the API's error, or the renewal's).
    package static func fetch(_ client: APIClient, profile name: String) async throws(PDSAuthError) -> StoredUser {
        let request = try APIRequest(path: "/v2/user/get", body: Array("{}".utf8))
        let response = try await client.send(request, profile: name)
        guard (200..<300).contains(response.status) else { throw APIClient.error(for: response, request: request) }
        guard let user = StoredUser(userGetAnswer: response.body) else {
            throw PDSAuthError(.invalidResponse, "/v2/user/get did not answer with a JSON object")
        }
        return user
    }
}
