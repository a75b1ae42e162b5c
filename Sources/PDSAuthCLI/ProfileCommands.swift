import ArgumentParser
import FoundationEssentials
import PDSAuth

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Remove a profile; with --revoke, first revoke its refresh token at the provider.")

    @OptionGroup var selection: ProfileSelection
    @OptionGroup var verbosity: VerboseOption

    @Flag(help: "Revoke the refresh token first: PDS's POST /v2/account/revoke, or a generic provider's RFC 7009 endpoint (--revoke-url at login).")
    var revoke = false

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment, verbose: verbosity.verbose)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let store = try selection.store(environment, terminal)
            let name = try selection.resolve(environment, store: store)
            let file = try store.load()
            guard file.names.contains(name) else { throw TokenProvider.noProfile(name, store: store) }
            if revoke {
                // A profile that cannot be read cannot be revoked; a failed revoke keeps the
                // profile, so the user can retry or log out without --revoke.
                guard let profile = try store.profile(name) else { throw TokenProvider.noProfile(name, store: store) }
                var options = try terminal.transport(environment)
                options.caBundlePath = profile.caBundlePath ?? options.caBundlePath
                try await RevokeClient(http: CurlClient(options: options)).revoke(profile)
            }
            _ = try await store.remove(name)
            terminal.say("\(terminal.green("✓")) Removed profile \"\(name)\"\(revoke ? " and revoked its refresh token" : "").")
        }
    }
}

struct SwitchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch",
        abstract: "Make a saved profile the current one (used when no --profile or PDS_AUTH_PROFILE is given).")

    @Argument(help: "The profile to make current.", completion: ProfileCompletion.names)
    var name: String

    func validate() throws {
        if !ProfileChoice.isValidName(name) { throw ValidationError(ProfileSelection.nameRule(name)) }
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            let store = terminal.store(directory: try StoreLocation.directory(environment: environment))
            let name = self.name
            try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
                guard file.names.contains(name) else { throw TokenProvider.noProfile(name, store: store) }
                file.current = name
            }
            terminal.say("\(terminal.green("✓")) \"\(name)\" is now the current profile.")
        }
    }
}

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Renew the access token now (refresh_token grant, or a new assertion for JWT profiles).")

    @OptionGroup var selection: ProfileSelection
    @OptionGroup var verbosity: VerboseOption

    @Flag(help: "Only errors on stderr.")
    var quiet = false

    @Flag(help: "Print the result as JSON on stdout (as login --json: the access token masked).")
    var json = false

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment, quiet: quiet, verbose: verbosity.verbose)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            // Configuration first: a bad PDS_AUTH_HTTP_TIMEOUT is reported even when no refresh is due.
            let renewer = StandardRenewer(transport: try terminal.transport(environment))
            let store = try selection.store(environment, terminal)
            let name = try selection.resolve(environment, store: store)
            let profile = try await TokenProvider(store: store, renewer: renewer).validProfile(name, minValid: .zero, force: true)
            if json {
                let result = LoginResult(profileName: name, profile: profile, credentialsPath: store.filePath)
                terminal.out(JSONOutput.text(LoginReport.Output(result, showToken: false), pretty: terminal.stdoutIsTTY))
            }
            let expiry = profile.effectiveExpiry.map { " Access token valid until \(ExpiryText.absolute($0)) (\(ExpiryText.relative($0)))." } ?? ""
            terminal.say("\(terminal.green("✓")) Refreshed profile \"\(name)\".\(expiry)")
        }
    }
}

/// `--profile`, else `PDS_AUTH_PROFILE`, else the current profile, else the only profile;
/// plus where the store is.
struct ProfileSelection: ParsableArguments {
    @Option(help: "Profile name (else env PDS_AUTH_PROFILE, else the current profile, else the only one).", completion: ProfileCompletion.names)
    var profile: String?

    func validate() throws {
        if let profile, !ProfileChoice.isValidName(profile) { throw ValidationError(Self.nameRule(profile)) }
    }

    static func nameRule(_ name: String) -> String {
        "Profile names are 1–64 letters, digits, '-', '_', '.' or '@', not \"\(Redaction.terminalSafe(name, limit: 64))\""
    }

    /// The name given on the command line or in the environment, if any.
    func named(_ environment: [String: String]) throws(PDSAuthError) -> String? {
        try Self.named(profile, environment)
    }

    static func named(_ flag: String?, _ environment: [String: String]) throws(PDSAuthError) -> String? {
        if let flag { return flag }
        guard let value = environment["PDS_AUTH_PROFILE"], !value.isEmpty else { return nil }
        guard ProfileChoice.isValidName(value) else { throw PDSAuthError(.invalidSetting, "PDS_AUTH_PROFILE: " + nameRule(value)) }
        return value
    }

    /// The profile to work on in `store`.
    func resolve(_ environment: [String: String], store: CredentialStore) throws(PDSAuthError) -> String {
        try ProfileChoice.resolve(named(environment), in: store.load(), store: store)
    }

    func store(_ environment: [String: String], _ terminal: Terminal) throws(PDSAuthError) -> CredentialStore {
        terminal.store(directory: try StoreLocation.directory(environment: environment))
    }
}

/// Shell completion of profile names, for `--profile` and `switch NAME`. The generated bash,
/// zsh and fish scripts call `pds-auth ---completion …` when the user presses Tab; this
/// answers with the names in the credentials file, read the way `status` reads it
/// (`StoreLocation`, `CredentialStore.load()`), except that a Tab press changes nothing (a
/// file open to others is left for the next command to narrow, and say so) and prints
/// nothing else. Any failure — no file, an unreadable or foreign one, a bad
/// `PDS_AUTH_HOME` — offers no names rather than an error in the middle of the command line.
enum ProfileCompletion {
    static let names = CompletionKind.custom { (_: [String], _: Int, _: String) -> [String] in
        profileNames(environment: CommandIO.current.environment)
    }

    /// The saved profile names, sorted; only well-formed ones, so that a hand-edited name
    /// holding spaces, quotes or escape sequences is never put on a command line or a screen.
    static func profileNames(environment: [String: String]) -> [String] {
        guard let directory = try? StoreLocation.directory(environment: environment) else { return [] }
        var store = CredentialStore(directory: directory)
        store.permissionRepair = .report { _, _, _ in }
        guard let file = try? store.load() else { return [] }
        return file.names.filter(ProfileChoice.isValidName)
    }
}
