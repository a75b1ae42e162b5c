import FoundationEssentials
import PDSAuth

/// `status --verify` for one profile: whether PDS's `/v2/user/get` accepts its token (after
/// a renewal if one is due), and who the server says the user is. In `status --json` it is
/// the member `verified`: `{"ok": true, "user": {…}}` or `{"ok": false, "error": {…}}`.
struct Verification: Encodable {
    var ok: Bool
    var user: User?
    var error: Report?
    /// Not encoded: the error itself, for the exit status.
    var failure: PDSAuthError?

    struct User: Encodable {
        var user_id: String?
        var user_name: String?
        var nick_name: String?
        var role: String?
        var domain_id: String?
        var default_drive_id: String?
        var status: String?
    }

    struct Report: Encodable {
        var code: String
        var message: String
        var server_code: String?
        var http_status: Int?
        var request_id: String?
    }

    enum CodingKeys: String, CodingKey { case ok, user, error }

    static func run(_ client: APIClient, profile name: String, generic: Bool) async -> Verification {
        if generic {
            return failed(PDSAuthError(.apiRejected, "Profile \"\(name)\" is for a generic OAuth provider; --verify asks PDS's /v2/user/get"))
        }
        do throws(PDSAuthError) {
            let user = try await StoredUser.fetch(client, profile: name)
            return Verification(
                ok: true,
                user: User(
                    user_id: user.userID, user_name: user.userName, nick_name: user.nickName, role: user.role,
                    domain_id: user.domainID, default_drive_id: user.defaultDriveID, status: user.status))
        } catch {
            return failed(error)
        }
    }

    static func failed(_ error: PDSAuthError) -> Verification {
        Verification(
            ok: false,
            error: Report(
                code: error.code.description, message: error.message, server_code: error.serverCode,
                http_status: error.httpStatus, request_id: error.requestID),
            failure: error)
    }

    /// The line `status` shows beside the local view.
    var text: String {
        if ok, let user {
            let who = user.user_name ?? user.nick_name ?? user.user_id ?? "(unnamed)"
            let facts = [
                user.user_id.map { "id \($0)" }, user.role.map { "role \($0)" }, user.domain_id.map { "domain \($0)" },
                user.default_drive_id.map { "drive \($0)" },
            ].compactMap { $0 }
            return "works: signed in as \(who)" + (facts.isEmpty ? "" : " (\(facts.joined(separator: ", ")))")
        }
        return "does not work: \(error?.message ?? "unknown")"
    }
}
