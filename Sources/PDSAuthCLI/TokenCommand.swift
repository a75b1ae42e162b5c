import ArgumentParser
import FoundationEssentials
import Glibc
import PDSAuth

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a valid access token (refreshing it first when needed) and nothing else.",
        discussion: """
            Examples:
              TOKEN=$(pds-auth token)
              eval "$(pds-auth token --format env)"
              curl -H "$(pds-auth token --format header)" \\
                -d '{}' https://bj1.api.aliyunpds.com/v2/user/get

            --format env exports PDS_ACCESS_TOKEN and PDS_TOKEN_EXPIRES_AT.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case bare, header, json, env }

    @OptionGroup var selection: ProfileSelection
    @OptionGroup var verbosity: VerboseOption

    @Option(name: .customLong("min-valid"), help: "Refresh first when fewer than this many seconds of validity remain (0–86400).")
    var minValid: Int = 300

    @Option(help: "Output: bare (the token), header (Authorization: Bearer …), json, env (shell exports).")
    var format: Format = .bare

    static let minValidRange = 0...86400

    func validate() throws {
        guard Self.minValidRange.contains(minValid) else { throw ValidationError("--min-valid must be 0–86400 seconds") }
    }

    func run() async throws {
        let environment = CommandIO.current.environment
        let terminal = Terminal(command: Self.configuration.commandName, environment: environment, verbose: verbosity.verbose)
        try await CommandRunner.run(terminal) { () throws(PDSAuthError) in
            // Configuration first: a bad PDS_AUTH_HTTP_TIMEOUT is reported even when no refresh is due.
            let renewer = StandardRenewer(transport: try terminal.transport(environment))
            let store = try selection.store(environment, terminal)
            let name = try selection.resolve(environment, store: store)
            let profile = try await TokenProvider(store: store, renewer: renewer).validProfile(name, minValid: .seconds(minValid))
            terminal.out(TokenFormatter.render(profile, name: name, format: format))
        }
    }
}

enum TokenFormatter {
    static func render(_ profile: StoredProfile, name: String, format: TokenCommand.Format) -> String {
        switch format {
        case .bare:
            return profile.accessToken
        case .header:
            return "Authorization: Bearer \(profile.accessToken)"
        case .env:
            var lines = ["export PDS_ACCESS_TOKEN=\(shellQuoted(profile.accessToken))"]
            if let expiry = profile.effectiveExpiry { lines.append("export PDS_TOKEN_EXPIRES_AT=\(shellQuoted(expiry.formatted(.iso8601)))") }
            return lines.joined(separator: "\n")
        case .json:
            return JSONOutput.text(Output(profile, name: name), pretty: false)
        }
    }

    /// `token --format json` (README "JSON output").
    struct Output: Encodable {
        var profile: String
        var access_token: String
        var token_type: String
        var expires_at: Date?
        /// Whole seconds of validity left.
        var expires_in: Int?

        init(_ profile: StoredProfile, name: String) {
            self.profile = name
            access_token = profile.accessToken
            token_type = profile.tokenType ?? "Bearer"
            expires_at = profile.effectiveExpiry
            expires_in = profile.effectiveExpiry.map { Int(max(-1e12, min(1e12, $0.timeIntervalSinceNow))) }
        }
    }

    /// Single-quoted for POSIX shells: nothing inside is interpreted.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }
}

/// `pds-auth token` when the profile's token is fresh: the same answer `TokenCommand` would
/// print, without swift-argument-parser (its parse reflects over every command and checks
/// for completion-script requests: about half of this command's time) and without copying
/// the whole environment. It recognises exactly `token [--format F] [--profile P]
/// [--min-valid N]` (each at most once, `--name value` or `--name=value`, values that
/// `TokenCommand` accepts); anything else, and every case but "the chosen profile exists and
/// is fresh" (no file, an error, a renewal due, `PDS_AUTH_HTTP_TIMEOUT` set), is left to the
/// full command, which reports or renews exactly as always. `TokenFastPathTests` holds its
/// grammar to `TokenCommand`'s.
enum TokenFastPath {
    struct Options: Equatable {
        var format: TokenCommand.Format = .bare
        var profile: String?
        var minValid = 300
    }

    /// What `token` prints for `arguments` (without the final newline), when this path can
    /// answer; nil otherwise. `variable` reads the environment (getenv(3) in the program);
    /// `warn` reports the store's repairs, as the full command would.
    static func answer(
        _ arguments: ArraySlice<String>, variable: (String) -> String? = Self.variable,
        warn: @escaping @Sendable (String) -> Void
    ) -> String? {
        guard let options = parse(arguments), variable("PDS_AUTH_HTTP_TIMEOUT") == nil else { return nil }
        var environment: [String: String] = [:]
        for key in ["PDS_AUTH_HOME", "XDG_CONFIG_HOME", "HOME", "PDS_AUTH_PROFILE"] {
            environment[key] = variable(key)
        }
        // No named profile is an answer (nil), not a failure: keep the two apart.
        let named: String?
        do { named = try ProfileSelection.named(options.profile, environment) } catch { return nil }
        guard let directory = try? StoreLocation.directory(environment: environment) else { return nil }
        let store = CredentialStore(directory: directory, onWarning: warn)
        guard let file = try? store.load(), let name = try? ProfileChoice.resolve(named, in: file, store: store),
            let profile = try? file.profile(name, path: store.filePath),
            TokenProvider(store: store).isFresh(profile, minValid: .seconds(options.minValid))
        else { return nil }
        return TokenFormatter.render(profile, name: name, format: options.format)
    }

    static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The options of an exact `token` command line, or nil for anything else.
    static func parse(_ arguments: ArraySlice<String>) -> Options? {
        var rest = arguments
        guard rest.popFirst() == "token" else { return nil }
        var options = Options()
        var seen: Set<Substring> = []
        while let argument = rest.popFirst() {
            let name: Substring
            let value: String
            if let equals = argument.firstIndex(of: "=") {
                name = argument[..<equals]
                value = String(argument[argument.index(after: equals)...])
            } else {
                guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                name = argument[...]
                value = next
            }
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "--format":
                guard let format = TokenCommand.Format(rawValue: value) else { return nil }
                options.format = format
            case "--profile":
                guard ProfileChoice.isValidName(value) else { return nil }
                options.profile = value
            case "--min-valid":
                guard value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let seconds = Int(value),
                    TokenCommand.minValidRange.contains(seconds)
                else { return nil }
                options.minValid = seconds
            default:
                return nil
            }
        }
        return options
    }
}
