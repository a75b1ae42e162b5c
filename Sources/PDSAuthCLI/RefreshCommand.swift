import ArgumentParser
import PDSAuth

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Renew the access token now (refresh_token grant, or a new assertion for JWT profiles).")

    @OptionGroup var selection: ProfileSelection

    @Flag(help: "Only errors on stderr.")
    var quiet = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(environment: environment, quiet: quiet)
        try await reportingErrors(terminal) { () throws(PDSAuthError) in
            let name = selection.name(environment)
            let renewer = StandardRenewer(transport: .fromEnvironment(environment))
            let profile = try await TokenProvider(store: try selection.store(environment), renewer: renewer).validProfile(name, minValid: 0, force: true)
            let expiry = profile.effectiveExpiry.map { " Access token valid until \(ExpiryText.absolute($0)) (\(ExpiryText.relative($0)))." } ?? ""
            terminal.say("\(terminal.green("✓")) Refreshed profile \"\(name)\".\(expiry)")
        }
    }
}
