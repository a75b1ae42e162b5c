import ArgumentParser
import FoundationEssentials
import PDSAuth

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show saved profiles: user, domain, endpoint, grant, expiry, whether they can refresh; the current one is marked.")

    @Option(help: "Show only this profile.")
    var profile: String?

    @Flag(help: "JSON on stdout (README \"JSON output\").")
    var json = false

    @Flag(help: "Ask the server (PDS's /v2/user/get) whether each sign-in shown works; exit 0 only if every one does.")
    var verify = false

    func validate() throws {
        if let profile, !ProfileChoice.isValidName(profile) { throw ValidationError(ProfileSelection.nameRule(profile)) }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(environment: environment)
        var failure: PDSAuthError?
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let store = terminal.store(directory: try StoreLocation.directory(environment: environment))
            let file = try store.load()
            var names = file.names
            if let profile {
                guard names.contains(profile) else { throw TokenProvider.noProfile(profile, store: store) }
                names = [profile]
            }
            let current = try? ProfileChoice.resolve(try ProfileSelection.named(nil, environment), in: file, store: store)
            var rows = names.map { ProfileStatus(name: $0, file: file, current: $0 == current, now: Date()) }
            if verify {
                let client = APIClient(provider: TokenProvider(store: store, renewer: StandardRenewer(transport: try .fromEnvironment(environment))))
                for index in rows.indices { rows[index].verified = await Verification.run(client, profile: rows[index].name, file: file) }
            }
            failure = rows.lazy.compactMap { $0.verified?.failure }.first
            if json {
                terminal.out(JSONOutput.text(StatusOutput(current: current, profiles: rows), pretty: terminal.stdoutIsTTY))
            } else if rows.isEmpty {
                terminal.out("No profiles in \(store.filePath). Sign in with `pds-auth login`.")
            } else {
                terminal.out(rows.map(\.text).joined(separator: "\n\n"))
            }
        }
        // Every row is printed first; then the first sign-in that does not work decides.
        if let failure { throw ExitCode(CommandRunner.exitStatus(for: failure).rawValue) }
    }
}

/// `status --json`: the profile used when none is named, and every profile.
struct StatusOutput: Encodable {
    var current: String?
    var profiles: [ProfileStatus]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(current, forKey: .current)
        try container.encode(profiles, forKey: .profiles)
    }

    enum CodingKeys: String, CodingKey { case current, profiles }
}

/// One profile as `status` shows it. Token claims are decoded for display only, never
/// verified, and appear as the JSON values they are.
struct ProfileStatus: Encodable {
    var name: String
    var current: Bool
    /// Why the profile cannot be used, when it cannot.
    var problem: String?
    var user: String?
    var user_id: String?
    var domain_id: String?
    var provider: String?
    var endpoint: String?
    var client_id: String?
    var grant: String?
    var expires_at: Date?
    var expires_in: Int?
    var expired: Bool?
    var can_refresh: Bool?
    var claims: [String: JSONValue]?
    /// With `--verify`: what the server said.
    var verified: Verification?

    init(name: String, file: CredentialsFile, current: Bool, now: Date) {
        self.name = name
        self.current = current
        guard let profile = file.profiles[name] else {
            problem = file.unreadable[name] ?? "unknown"
            return
        }
        user = profile.user?.userName ?? profile.user?.nickName
        user_id = profile.user?.userID
        domain_id = profile.user?.domainID ?? profile.domainID
        provider = profile.endpoints.flavor.rawValue
        endpoint = profile.endpoints.base.absoluteString
        client_id = profile.clientID
        grant = profile.grant.rawValue
        let expiry = profile.effectiveExpiry
        expires_at = expiry
        expires_in = expiry.map { Int(max(-1e12, min(1e12, $0.timeIntervalSince(now)))) }
        expired = expiry.map { $0 <= now }
        can_refresh = profile.jwt != nil || profile.refreshToken != nil
        claims = JWTPreview(profile.accessToken)?.claims
    }

    var text: String {
        var lines = ["\(Redaction.terminalSafe(name, limit: 64))\(current ? "  (current)" : "")"]
        func add(_ label: String, _ value: String?) {
            // Labels are short ASCII constants: padded to a 12-column field.
            let field = label + String(repeating: " ", count: max(0, 12 - label.count))
            if let value { lines.append("  \(field) \(Redaction.terminalSafe(value))") }
        }
        if let problem {
            add("problem", "cannot be used: \(problem)")
            return lines.joined(separator: "\n")
        }
        let who = [user, user_id.map { "(\($0))" }].compactMap { $0 }
        add("user", who.isEmpty ? nil : who.joined(separator: " "))
        add("domain", domain_id)
        add("endpoint", endpoint.map { provider == "generic" ? "\($0) (generic OAuth provider)" : $0 })
        add("client id", client_id)
        add("grant", grant)
        add("expires", expires_at.map { "\(ExpiryText.absolute($0)) (\(ExpiryText.relative($0)))" } ?? "unknown")
        add("refreshable", can_refresh == true ? "yes" : "no (sign in again when it expires)")
        if let verified { add("server", verified.text) }
        if let claims, !claims.isEmpty {
            lines.append("  token claims (decoded, signature not verified):")
            for (key, value) in claims.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(Redaction.terminalSafe(key, limit: 60)): \(Redaction.terminalSafe(Self.shown(value), limit: 200))")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func shown(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        default: JSONOutput.text(value, pretty: false)
        }
    }
}
