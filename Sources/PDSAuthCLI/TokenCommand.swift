import ArgumentParser
import PDSAuth

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a valid access token (refreshing it first when needed) and nothing else.",
        discussion: """
            Examples:
              curl -H "$(pds-auth token --format header)" https://bj1.api.aliyunpds.com/v2/user/get
              eval "$(pds-auth token --format env)"   # exports PDS_ACCESS_TOKEN and PDS_TOKEN_EXPIRES_AT
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case bare, header, json, env }

    @OptionGroup var selection: ProfileSelection

    @Option(name: .customLong("min-valid"), help: "Refresh first when fewer than this many seconds of validity remain.")
    var minValid: Int = 300

    @Option(help: "Output: bare (the token), header (Authorization: Bearer …), json, env (shell exports).")
    var format: Format = .bare

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(environment: environment)
        try await reportingErrors(terminal) { () throws(PDSAuthError) in
            guard minValid >= 0 else {
                throw PDSAuthError(.usage, code: "invalid_min_valid", "--min-valid must not be negative")
            }
            let store = try selection.store(environment)
            let renewer = StandardRenewer(transport: .fromEnvironment(environment))
            let profile = try await TokenProvider(store: store, renewer: renewer).validProfile(selection.name(environment), minValid: TimeInterval(minValid))
            terminal.out(TokenFormatter.render(profile, format: format))
        }
    }
}

enum TokenFormatter {
    static func render(_ profile: StoredProfile, format: TokenCommand.Format) -> String {
        let expiry = profile.effectiveExpiry.map { $0.formatted(.iso8601) }
        switch format {
        case .bare:
            return profile.accessToken
        case .header:
            return "Authorization: Bearer \(profile.accessToken)"
        case .env:
            var lines = ["export PDS_ACCESS_TOKEN=\(shellQuoted(profile.accessToken))"]
            if let expiry { lines.append("export PDS_TOKEN_EXPIRES_AT=\(shellQuoted(expiry))") }
            return lines.joined(separator: "\n")
        case .json:
            struct Output: Encodable {
                var access_token: String
                var token_type: String
                var expires_at: String?
                var expires_in: Int?
            }
            let remaining = profile.effectiveExpiry.map { Int($0.timeIntervalSinceNow) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let output = Output(access_token: profile.accessToken, token_type: profile.tokenType ?? "Bearer", expires_at: expiry, expires_in: remaining)
            return (try? encoder.encode(output)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }

    /// Single-quoted for POSIX shells: nothing inside is interpreted.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }
}
