import ArgumentParser
import PDSAuth

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Remove a profile; with --revoke, first revoke its refresh token at the provider.")

    @OptionGroup var selection: ProfileSelection

    @Flag(help: "Call POST /v2/account/revoke before removing the profile.")
    var revoke = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(environment: environment)
        try await reportingErrors(terminal) { () throws(PDSAuthError) in
            let store = try selection.store(environment)
            let name = selection.name(environment)
            guard let profile = try store.profile(name) else { throw TokenProvider.noProfile(name, store: store) }
            if revoke {
                // A failed revoke keeps the profile: the user can retry, or log out without --revoke.
                var options = TransportOptions.fromEnvironment(environment)
                options.caBundlePath = profile.caBundlePath ?? options.caBundlePath
                try await RevokeClient(http: CurlClient(options: options)).revoke(profile)
            }
            _ = try await store.remove(name)
            terminal.say("\(terminal.green("✓")) Removed profile \"\(name)\"\(revoke ? " and revoked its refresh token" : "").")
        }
    }
}
