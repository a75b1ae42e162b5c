import Foundation
import PDSAuth
import PDSAuthTestSupport
import Testing

@testable import PDSAuthCLI

/// The fast path for `token` accepts only command lines the full command reads the same way.
@Suite struct TokenFastPathTests {
    static let accepted: [[String]] = [
        ["token"], ["token", "--format", "json"], ["token", "--format=env"], ["token", "--profile", "ci"], ["token", "--profile=a.b@c"],
        ["token", "--min-valid", "0"], ["token", "--min-valid=86400"], ["token", "--format", "header", "--profile", "p", "--min-valid", "60"],
        ["token", "--min-valid", "0300"],
    ]

    @Test(arguments: accepted)
    func acceptedLinesMeanWhatTheyMeanToTheFullCommand(_ argv: [String]) throws {
        let fast = try #require(TokenFastPath.parse(argv[...]))
        let full = try TokenCommand.parse(Array(argv.dropFirst()))
        #expect(fast.format == full.format && fast.profile == full.selection.profile && fast.minValid == full.minValid)
    }

    static let leftToTheFullCommand: [[String]] = [
        ["status"], ["token", "--format", "yaml"], ["token", "--format"], ["token", "--format", "json", "--format", "bare"],
        ["token", "--min-valid", "-1"], ["token", "--min-valid", "86401"], ["token", "--min-valid=1e3"], ["token", "--min-valid", "+5"],
        ["token", "--profile", "bad name"], ["token", "--profile", "--format"], ["token", "--help"], ["token", "-h"],
        ["token", "extra"], ["token", "--quiet"], ["token", "--format=json", "--", "x"],
    ]

    @Test(arguments: leftToTheFullCommand)
    func everythingElseIsLeftToTheFullCommand(_ argv: [String]) {
        #expect(TokenFastPath.parse(argv[...]) == nil)
    }
}

/// The fast path answers exactly when the full command would answer without renewing, and
/// with the same text.
@Suite struct TokenFastPathAnswerTests {
    static func home(expiresIn seconds: TimeInterval, names: [String] = ["default"], current: String? = "default") async throws -> TemporaryDirectory
    {
        let home = TemporaryDirectory()
        let store = CredentialStore(directory: home.path)
        for name in names {
            let profile = try StoredProfile.fixture(
                endpoint: "https://x.example", domainID: nil, accessToken: "token-of-\(name)",
                expiresAt: Date(timeIntervalSinceNow: seconds))
            try await store.save(profile, as: name, makeCurrent: name == current)
        }
        return home
    }

    static func answer(_ argv: [String], _ environment: [String: String]) -> String? {
        TokenFastPath.answer(argv[...], variable: { environment[$0] }, warn: { _ in })
    }

    @Test func answersTheCurrentProfileWithoutAName() async throws {
        let home = try await Self.home(expiresIn: 3600)
        #expect(Self.answer(["token"], ["PDS_AUTH_HOME": home.path]) == "token-of-default")
        let profile = try #require(try CredentialStore(directory: home.path).profile("default"))
        #expect(
            Self.answer(["token", "--format", "json"], ["PDS_AUTH_HOME": home.path]) == TokenFormatter.render(profile, name: "default", format: .json)
        )
    }

    @Test func answersANamedProfile() async throws {
        let home = try await Self.home(expiresIn: 3600, names: ["one", "two"], current: "one")
        #expect(Self.answer(["token", "--profile", "two"], ["PDS_AUTH_HOME": home.path]) == "token-of-two")
        #expect(Self.answer(["token"], ["PDS_AUTH_HOME": home.path, "PDS_AUTH_PROFILE": "two"]) == "token-of-two")
        #expect(Self.answer(["token"], ["PDS_AUTH_HOME": home.path]) == "token-of-one")
    }

    @Test func leavesEverythingElseToTheFullCommand() async throws {
        let fresh = try await Self.home(expiresIn: 3600)
        let due = try await Self.home(expiresIn: 100)
        let none = TemporaryDirectory()
        #expect(Self.answer(["token"], ["PDS_AUTH_HOME": due.path]) == nil, "inside --min-valid: a renewal is due")
        #expect(Self.answer(["token", "--min-valid", "0"], ["PDS_AUTH_HOME": due.path]) == "token-of-default")
        #expect(Self.answer(["token"], ["PDS_AUTH_HOME": none.path]) == nil)
        #expect(Self.answer(["token", "--profile", "other"], ["PDS_AUTH_HOME": fresh.path]) == nil)
        #expect(Self.answer(["token"], ["PDS_AUTH_HOME": fresh.path, "PDS_AUTH_PROFILE": "bad name"]) == nil)
        #expect(Self.answer(["token"], ["PDS_AUTH_HOME": fresh.path, "PDS_AUTH_HTTP_TIMEOUT": "5"]) == nil)
        #expect(Self.answer(["token"], [:]) == nil, "nowhere to look")
    }

    /// A profile whose secrets are in the Secret Service is the full command's: the fast path
    /// reads only the file, and that has no token for it.
    @Test func leavesSecretServiceProfilesToTheFullCommand() async throws {
        let home = TemporaryDirectory()
        var profile = try StoredProfile.fixture(endpoint: "https://x.example", domainID: nil, accessToken: "token-in-the-keyring")
        profile.secretStore = .secretService
        try await CredentialStore(directory: home.path, secrets: MemorySecretBackend()).save(profile, as: "default", makeCurrent: true)
        #expect(Self.answer(["token"], ["PDS_AUTH_HOME": home.path]) == nil)
        #expect(!(try String(contentsOfFile: home.path + "/credentials.json", encoding: .utf8).contains("token-in-the-keyring")))
    }
}
