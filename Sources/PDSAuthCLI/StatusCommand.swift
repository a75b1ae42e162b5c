import ArgumentParser
import FoundationEssentials
import PDSAuth

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show saved profiles: user, domain, endpoint, grant, expiry, whether they can refresh; the current one is marked.")

    @OptionGroup var verbosity: VerboseOption

    @Option(help: "Show only this profile.", completion: ProfileCompletion.names)
    var profile: String?

    @Flag(help: "JSON on stdout (README \"JSON output\").")
    var json = false

    @Flag(help: "Ask the server (PDS's /v2/user/get) whether each sign-in shown works; exit 0 only if every one does (13 when there is none).")
    var verify = false

    @Flag(help: "Also show each profile's client id, grant, whether it can refresh, and its token's decoded claims (so does --verbose).")
    var claims = false

    func validate() throws {
        if let profile, !ProfileChoice.isValidName(profile) { throw ValidationError(ProfileSelection.nameRule(profile)) }
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment, verbose: verbosity.verbose)
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
            var rows = names.map {
                ProfileStatus(name: $0, file: file, opened: Self.open($0, in: file, store: store), current: $0 == current, now: Date())
            }
            if verify {
                let transport = try terminal.transport(environment)
                var apiTransport = transport
                apiTransport.maxBodyBytes = APIClient.defaultMaxResponseSize
                let client = APIClient(provider: TokenProvider(store: store, renewer: StandardRenewer(transport: transport)), transport: apiTransport)
                for index in rows.indices {
                    rows[index].verified = await Verification.run(client, profile: rows[index].name, generic: rows[index].provider == "generic")
                }
            }
            failure = rows.lazy.compactMap { $0.verified?.failure }.first
            if verify, rows.isEmpty {
                // `status --verify && …` must not go on with nobody signed in.
                failure = PDSAuthError(.noProfile, "No profile to verify: sign in with `pds-auth login`", details: ["credentials": store.filePath])
            }
            if json {
                terminal.out(JSONOutput.text(StatusOutput(current: current, profiles: rows), pretty: terminal.stdoutIsTTY))
            } else if rows.isEmpty {
                terminal.out("No profiles in \(store.filePath). Sign in with `pds-auth login`.")
            } else {
                terminal.out(rows.map { $0.text(detailed: claims || verbosity.verbose) }.joined(separator: "\n\n"))
            }
        }
        // Every row is printed first; then the first sign-in that does not work decides.
        if let failure {
            if failure.code == .noProfile { terminal.report(failure) }
            throw ExitCode(CommandRunner.exitStatus(for: failure).rawValue)
        }
    }

    /// Profile `name` with its secrets (read from the Secret Service for profiles kept
    /// there), or why it cannot be used; nil when the file cannot use it at all.
    static func open(_ name: String, in file: CredentialsFile, store: CredentialStore) -> Result<StoredProfile, PDSAuthError>? {
        guard file.unreadable[name] == nil else { return nil }
        do throws(PDSAuthError) {
            guard let profile = try file.sealed[name] == nil ? file.profiles[name] : store.profile(name) else { return nil }
            return .success(profile)
        } catch {
            return .failure(error)
        }
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
    /// The issuer a generic profile is pinned to (discovered with `login --issuer`).
    var issuer: String?
    var client_id: String?
    var grant: String?
    /// Where the secrets are: `file` or `secret-service`.
    var store: String?
    var expires_at: Date?
    var expires_in: Int?
    var expired: Bool?
    var can_refresh: Bool?
    var claims: [String: JSONValue]?
    /// With `--verify`: what the server said.
    var verified: Verification?

    init(name: String, file: CredentialsFile, opened: Result<StoredProfile, PDSAuthError>?, current: Bool, now: Date) {
        self.name = name
        self.current = current
        store = file.secretStore(of: name)?.rawValue
        let profile: StoredProfile
        switch opened {
        case .success(let opened)?: profile = opened
        case .failure(let error)?:
            problem = "its secrets cannot be read: \(error.description)"
            return
        case nil:
            problem = file.unreadable[name] ?? "unknown"
            return
        }
        user = profile.user?.name
        user_id = profile.user?.userID
        domain_id = profile.user?.domainID ?? profile.domainID
        provider = profile.endpoints.flavor.rawValue
        endpoint = profile.endpoints.base.absoluteString
        issuer = profile.endpoints.issuer
        client_id = profile.clientID
        grant = profile.grant.rawValue
        let expiry = profile.effectiveExpiry
        expires_at = expiry
        expires_in = expiry.map { Int(max(-1e12, min(1e12, $0.timeIntervalSince(now)))) }
        expired = expiry.map { $0 <= now }
        can_refresh = profile.jwt != nil || profile.refreshToken != nil
        claims = JWTPreview(profile.accessToken)?.claims
    }

    /// A few lines per profile (who, where, until when), as `gh auth status` shows; with
    /// `detailed`, also the client, grant, refreshability and the token's claims.
    func text(detailed: Bool) -> String {
        var lines = ["\(Redaction.terminalSafe(name, limit: 64))\(current ? "  (current)" : "")"]
        func add(_ label: String, _ value: String?) {
            // Labels are short ASCII constants: padded to a 12-column field.
            let field = label + String(repeating: " ", count: max(0, 12 - label.count))
            if let value { lines.append("  \(field) \(Redaction.terminalSafe(value))") }
        }
        if let problem {
            add("store", store)
            add("problem", "cannot be used: \(problem)")
            return lines.joined(separator: "\n")
        }
        let who = [user, user_id.map { "(\($0))" }].compactMap { $0 }
        add("user", who.isEmpty ? nil : who.joined(separator: " "))
        add("domain", domain_id)
        add("endpoint", endpoint.map { provider == "generic" ? "\($0) (generic OAuth provider)" : $0 })
        add("issuer", issuer)
        add(
            "store",
            store.map {
                $0 == SecretStoreKind.secretService.rawValue
                    ? "secret-service (secrets in the Secret Service)" : "file (secrets in the credentials file)"
            })
        add("expires", expires_at.map { "\(ExpiryText.absolute($0)) (\(ExpiryText.relative($0)))" } ?? "unknown")
        if let verified { add("server", verified.text) }
        guard detailed else { return lines.joined(separator: "\n") }
        add("client id", client_id)
        add("grant", grant)
        add("refreshable", can_refresh == true ? "yes" : "no (sign in again when it expires)")
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
