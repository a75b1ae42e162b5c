import Foundation
import PDSDevServer
import PDSAuthTestSupport
import Testing
@testable import PDSAuth

/// Paste-back against the dev server: the browser never reaches the listener; the user
/// pastes where it ended (or the code) and the same single-use `state` rules apply.
@Suite struct PasteBackTests {
    /// Follows the start page's link through consent and returns where the provider sends
    /// the browser back, without going there (as if the listener were unreachable).
    static func redirectWithoutFollowing(startURL: String, base: String) async throws -> String {
        let browser = ScriptedBrowser()
        let start = try await browser.get(startURL)
        let authorize = try #require(ScriptedBrowser.link(id: "login", in: start.html))
        let consent = try await browser.get(authorize)
        return try #require(try await browser.submit(button: "approve", on: consent, base: base).location)
    }

    static func signIn(paste: @escaping @Sendable (String) -> [String]) async throws -> (Result<LoginResult, PDSAuthError>, CredentialStore) {
        let store = CredentialStore(directory: TemporaryDirectory().path)
        let result = try await DevServer.withRunning(RoundTripTests.devConfiguration()) { server, base in
            let app = server.configuration.apps.first { $0.clientSecret != nil }!
            let (lines, typing) = AsyncStream.makeStream(of: String.self)
            return try await LoginHarness(endpoint: base, store: store, clientID: app.clientID, clientSecret: app.clientSecret)
                .run(pastes: lines) { startURL in
                    let back = try await Self.redirectWithoutFollowing(startURL: startURL, base: base)
                    for line in paste(back) { typing.yield(line) }
                }
        }
        return (result, store)
    }

    @Test func pastedFullURLSignsIn() async throws {
        let (result, store) = try await Self.signIn { back in [back] }
        let login = try result.get()
        #expect(try store.profile("default")?.accessToken == login.profile.accessToken)
    }

    @Test func pastedBareCodeSignsIn() async throws {
        let (result, _) = try await Self.signIn { back in
            let query = back.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
            return [Dictionary(FormEncoding.decode(query)) { first, _ in first }["code"] ?? "missing"]
        }
        #expect(throws: Never.self) { try result.get() }
    }

    @Test func wrongStateAndNonsenseAreRefusedAndTheWaitGoesOn() async throws {
        let (result, _) = try await Self.signIn { back in
            var forged = URLComponents(string: back)!
            forged.queryItems = forged.queryItems!.map { $0.name == "state" ? URLQueryItem(name: "state", value: "stale-tab") : $0 }
            return ["not a url at all", forged.string!, back]
        }
        #expect(throws: Never.self) { try result.get() }
    }

    @Test func sessionRefusesWrongStateButNotTheSignIn() async throws {
        let session = LoginSession(expectedState: "right", pages: try PageRenderer()) { _ in
            .failure(PDSAuthError(.tokenRejected, code: "x", "exchange ran"))
        }
        let wrong = await session.handlePaste(.redirect(CallbackParameters(code: "c", state: "wrong")))
        guard case .rejected(let why) = wrong else { Issue.record("accepted a wrong state"); return }
        #expect(why.contains("another sign-in"))
        #expect(await session.handlePaste(.redirect(CallbackParameters(code: "c"))) != .settled, "no state, no exchange")
        #expect(await session.handlePaste(.code("c")) == .settled)
        #expect(await session.handlePaste(.code("c")) == .rejected(LoginSession.alreadySettled), "single use")
        var outcomes: [Result<LoginResult, PDSAuthError>] = []
        for await outcome in session.outcome { outcomes.append(outcome) }
        #expect(outcomes.count == 1)
    }
}
