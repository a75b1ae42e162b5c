import ArgumentParser
import FoundationEssentials
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
        let environment = ProcessInfo.processInfo.environment
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
