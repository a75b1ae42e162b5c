import ArgumentParser
import FoundationEssentials
import PDSAuth

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
        let environment = ProcessInfo.processInfo.environment
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
