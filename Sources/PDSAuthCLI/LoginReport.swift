import FoundationEssentials
import PDSAuth

/// What `login` and `jwt` print on success: a sentence on stderr, and with `--json` one
/// object on stdout (README "JSON output": `profile`, `credentials_path`, `user_id`,
/// `user_name`, `domain_id`, `default_drive_id`, `expires_at`, `token_type`, `access_token`,
/// the token masked unless `--show-token`).
struct LoginReport {
    let terminal: Terminal
    let showToken: Bool
    let json: Bool

    func printSuccess(_ result: LoginResult) {
        let profile = result.profile
        let user = profile.user
        if json { terminal.out(JSONOutput.text(Output(result, showToken: showToken), pretty: terminal.stdoutIsTTY)) }
        // A generic provider says nothing about the user: then no "as …" rather than a placeholder;
        // and a value the server sent empty (a service account's drive) is left out, not shown as "drive )".
        func shown(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : Redaction.terminalSafe($0, limit: 80) } }
        let who = shown(user?.displayName).map { " as \($0)" } ?? ""
        var facts: [String] = []
        if let id = shown(user?.userID) { facts.append("user_id \(id)") }
        if let domain = shown(user?.domainID) ?? shown(profile.domainID) { facts.append("domain \(domain)") }
        if let drive = shown(user?.defaultDriveID) { facts.append("drive \(drive)") }
        let expiry = profile.expiresAt.map { " Access token valid until \(ExpiryText.absolute($0))." } ?? ""
        let detail = facts.isEmpty ? "" : " (\(facts.joined(separator: ", ")))"
        terminal.say("\(terminal.green("✓")) Signed in\(who)\(detail).\(expiry)")
        let place = profile.secretStore == .secretService ? "; its secrets in the Secret Service" : ""
        terminal.say("  Saved to \(result.credentialsPath) (profile \"\(result.profileName)\", now the current profile\(place)).")
        if !json {
            terminal.say("  Access token: \(showToken ? profile.accessToken : Redaction.mask(profile.accessToken))")
        }
    }

    struct Output: Encodable {
        var profile: String
        var credentials_path: String
        var user_id: String?
        var user_name: String?
        var domain_id: String?
        var default_drive_id: String?
        var expires_at: Date?
        var token_type: String?
        var access_token: String
        /// Where the secrets are: `file` or `secret-service`.
        var store: String

        init(_ result: LoginResult, showToken: Bool) {
            let profile = result.profile
            self.profile = result.profileName
            credentials_path = result.credentialsPath
            user_id = profile.user?.userID
            user_name = profile.user?.userName
            domain_id = profile.user?.domainID ?? profile.domainID
            default_drive_id = profile.user?.defaultDriveID
            expires_at = profile.expiresAt
            token_type = profile.tokenType
            access_token = showToken ? profile.accessToken : Redaction.mask(profile.accessToken)
            store = profile.secretStore.rawValue
        }
    }
}
