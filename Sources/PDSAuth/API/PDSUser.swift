import FoundationEssentials

/// What PDS's `POST /v2/user/get` says about the signed-in user: enough to tell that the
/// session works and whose it is (`status --verify`).
package struct PDSUser: Sendable, Equatable, Codable {
    package var userID: String?
    package var userName: String?
    package var nickName: String?
    package var role: String?
    package var domainID: String?
    package var defaultDriveID: String?
    package var status: String?

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", userName = "user_name", nickName = "nick_name", role, domainID = "domain_id",
             defaultDriveID = "default_drive_id", status
    }

    /// Decodes an answer leniently (ids may be numbers); nil when it is not a JSON object.
    package init?(_ body: Data) {
        guard let object = try? JSONDecoder().decode(JSONScalarObject.self, from: body) else { return nil }
        func text(_ key: String) -> String? { object[key]?.text.map { String($0.prefix(1024)) } }
        userID = text("user_id")
        userName = text("user_name")
        nickName = text("nick_name")
        role = text("role")
        domainID = text("domain_id")
        defaultDriveID = text("default_drive_id")
        status = text("status")
    }

    /// Asks the server who the profile's token belongs to. Throws when the session does not
    /// work (the API's error, or the renewal's).
    package static func fetch(_ client: APIClient, profile name: String) async throws(PDSAuthError) -> PDSUser {
        let request = try APIRequest(path: "/v2/user/get", body: Array("{}".utf8))
        let response = try await client.send(request, profile: name)
        guard (200..<300).contains(response.status) else { throw APIClient.error(for: response, request: request) }
        guard let user = PDSUser(response.body) else {
            throw PDSAuthError(.invalidResponse, "/v2/user/get did not answer with a JSON object")
        }
        return user
    }
}
