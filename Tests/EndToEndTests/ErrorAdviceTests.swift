import ArgumentParser
import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

@testable import PDSAuthCLI

/// Advice is chosen by the command that failed (issue 17): for every command and every
/// catalogued error, each flag the advice names must exist on the command it is offered for
/// — the failing command, or the one named with it in backticks (`pds-auth login --profile
/// NAME`). Then the cases users met, end to end.
@Suite struct ErrorAdviceTests {
    static let commands: [any ParsableCommand.Type] = PDSAuthCommand.configuration.subcommands

    /// The long options a command accepts, from its own help.
    static func options(of command: any ParsableCommand.Type) -> Set<String> {
        let help = command.helpMessage(columns: 10_000)
        return Set(help.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
    }

    /// `store` or `store migrate`: a command, or a subcommand of one.
    static func named(_ command: String) -> (any ParsableCommand.Type)? {
        let words = command.split(separator: " ").map(String.init)
        var found = commands.first { $0.configuration.commandName == words.first }
        for word in words.dropFirst() { found = found?.configuration.subcommands.first { $0.configuration.commandName == word } }
        return found
    }

    /// (command the flags belong to, flags) for every flag in `hint`.
    static func claims(in hint: String, failing command: String) -> [(String, Set<String>)] {
        var claims: [(String, Set<String>)] = []
        var rest = hint
        for quoted in hint.matches(of: /`pds-auth ([a-z-]+(?: [a-z][a-z-]*)?)([^`]*)`/) {
            let flags = Set(String(quoted.output.2).matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
            // "store migrate" names a subcommand; "login NAME"-like words are not commands.
            let words = String(quoted.output.1)
            let owner = Self.named(words) != nil ? words : String(words.split(separator: " ")[0])
            claims.append((owner, flags))
            rest = rest.replacingOccurrences(of: String(quoted.output.0), with: "")
        }
        claims.append((command, Set(rest.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })))
        return claims
    }

    @Test func everyFlagTheAdviceNamesExistsOnItsCommand() {
        for command in Self.commands.compactMap({ $0.configuration.commandName }) {
            for code in PDSAuthError.Code.all {
                guard let hint = ErrorAdvice.hint(for: PDSAuthError(code, "x"), command: command, profile: "p") else { continue }
                for (owner, flags) in Self.claims(in: hint, failing: command) {
                    let known = Self.named(owner).map(Self.options(of:)) ?? []
                    #expect(Self.named(owner) != nil, "\(command)/\(code): names an unknown command \(owner)")
                    for flag in flags.subtracting(known) {
                        Issue.record("\(command)/\(code): \(flag) is not an option of \(owner): \(hint)")
                    }
                }
            }
        }
    }

    /// The cases of issue 17, as users met them.
    @Test func eachCommandGetsItsOwnAdvice() async throws {
        let home = TemporaryDirectory()
        let profile = try StoredProfile.fixture(
            endpoint: "http://127.0.0.1:9", domainID: nil, accessToken: "a-valid-token",
            expiresAt: Date(timeIntervalSinceNow: -60))
        try await CredentialStore(directory: home.path).save(profile, as: "p")
        let environment = ["PDS_AUTH_HOME": home.path]
        // A network error on a command without --endpoint does not tell the user to pass one.
        for command in [["api", "/v2/user/get"], ["refresh"], ["exec", "--", "true"]] {
            let result = try await InProcessCLI.run(command, environment: environment)
            #expect(
                result.status == 9 && !result.stderr.contains("--endpoint") && result.stderr.contains("pds-auth status"),
                "\(command): \(result.stderr)")
        }
        // exec's mistakes point at exec, not api.
        let exec = try await InProcessCLI.run(["exec", "--", "no-such-program"], environment: environment)
        #expect(!exec.stderr.contains("api"), "\(exec.stderr)")
        // dev-server on a busy port: no NIO internals, and --port, not --redirect-uri.
        let held = try #require(HeldPort(host: "127.0.0.1"))
        let busy = try await InProcessCLI.run(["dev-server", "--port", String(held.port)], environment: environment)
        #expect(busy.status == 4 && busy.stderr.contains("another program holds it") && busy.stderr.contains("--port"), "\(busy.stderr)")
        #expect(!busy.stderr.contains("bind(") && !busy.stderr.contains("--redirect-uri"), "\(busy.stderr)")
    }
}
