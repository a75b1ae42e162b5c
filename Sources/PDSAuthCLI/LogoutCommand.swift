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
        let environment = ProcessInfo.processInfo.environment
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
