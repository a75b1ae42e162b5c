import ArgumentParser
import PDSAuth

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show saved profiles: user, domain, endpoint, grant, expiry, whether they can refresh.")

    @Option(help: "Show only this profile.")
    var profile: String?

    @Flag(help: "JSON on stdout.")
    var json = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal(environment: environment)
        try await reportingErrors(terminal) { () throws(PDSAuthError) in
            let store = CredentialStore(directory: try StoreLocation.directory(environment: environment))
            var profiles = try store.load().profiles
            if let profile {
                guard let one = profiles[profile] else { throw TokenProvider.noProfile(profile, store: store) }
                profiles = [profile: one]
            }
            let rows = profiles.sorted { $0.key < $1.key }.map { ProfileStatus(name: $0.key, profile: $0.value, now: Date()) }
            if json {
                terminal.out(ProfileStatus.json(rows))
            } else if rows.isEmpty {
                terminal.out("No profiles in \(store.filePath). Sign in with `pds-auth login`.")
            } else {
                terminal.out(rows.map(\.text).joined(separator: "\n\n"))
            }
        }
    }
}

/// One profile as `status` shows it. Token claims are decoded for display only.
struct ProfileStatus: Encodable {
    var name: String
    var user: String?
    var user_id: String?
    var domain_id: String?
    var endpoint: String
    var client_id: String
    var grant: String
    var expires_at: String?
    var expired: Bool?
    var can_refresh: Bool
    var claims: [String: String]

    init(name: String, profile: StoredProfile, now: Date) {
        self.name = name
        user = profile.user?.userName ?? profile.user?.nickName
        user_id = profile.user?.userID
        domain_id = profile.user?.domainID ?? profile.domainID
        endpoint = profile.endpoints.base.absoluteString
        client_id = profile.clientID
        grant = profile.grant
        let expiry = profile.effectiveExpiry
        expires_at = expiry?.formatted(.iso8601)
        expired = expiry.map { $0 <= now }
        can_refresh = profile.jwt != nil || profile.refreshToken != nil
        claims = Dictionary(JWTPreview(profile.accessToken)?.claims.map { ($0.name, $0.value) } ?? [], uniquingKeysWith: { a, _ in a })
    }

    var text: String {
        var lines = ["\(name)"]
        func add(_ label: String, _ value: String?) {
            if let value { lines.append("  \(label.padding(toLength: 12, withPad: " ", startingAt: 0)) \(Redaction.terminalSafe(value))") }
        }
        add("user", [user, user_id.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "))
        add("domain", domain_id)
        add("endpoint", endpoint)
        add("client id", client_id)
        add("grant", grant)
        let expiry = expires_at.flatMap { try? Date($0, strategy: .iso8601) }
        add("expires", expiry.map { "\(ExpiryText.absolute($0)) (\(ExpiryText.relative($0)))" } ?? "unknown")
        add("refreshable", can_refresh ? "yes" : "no (sign in again when it expires)")
        if !claims.isEmpty {
            lines.append("  token claims (decoded, signature not verified):")
            for (key, value) in claims.sorted(by: { $0.key < $1.key }) { lines.append("    \(key): \(Redaction.terminalSafe(value, limit: 120))") }
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ rows: [ProfileStatus]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return (try? encoder.encode(["profiles": rows])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
