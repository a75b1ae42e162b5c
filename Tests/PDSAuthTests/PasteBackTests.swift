import Foundation
import PDSAuthTestSupport
import PDSDevServer
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

    /// Issue 17: a mangled paste (the code cut short, or the address with its code cut) used
    /// to end the whole sign-in with exit 7; it is refused and the wait goes on, and the whole
    /// address pasted next signs in (the cut code spent nothing).
    @Test func aMangledPasteIsRefusedAndTheWaitGoesOn() async throws {
        let (result, store) = try await Self.signIn { back in
            let query = back.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
            let code = Dictionary(FormEncoding.decode(query)) { first, _ in first }["code"] ?? "missing"
            return [
                String(code.dropLast(3)), back.replacingOccurrences(of: "code=" + FormEncoding.escape(code), with: "code=" + code.prefix(5)), back,
            ]
        }
        let login = try result.get()
        #expect(try store.profile("default")?.accessToken == login.profile.accessToken)
    }

    /// The flow's decisions on pasted lines, without a listener: a wrong or missing state and
    /// nonsense are refused (each with an event) and the wait goes on; a bare code typed at
    /// the prompt is exchanged; the first settling answer wins.
    @Test func flowRefusesWrongStateButNotTheSignIn() async throws {
        let codes = LockedValue<[String]>([])
        let events = LockedValue<[String]>([])
        let lateReply = LockedValue("")
        let result = try await TestServer.run({ request in
            var request = request
            let fields = Dictionary(FormEncoding.decode(String(buffer: try await request.collectBody(upTo: 65536))), uniquingKeysWith: { a, _ in a })
            codes.update { $0.append(fields["code"] ?? "") }
            return TestServer.json(.ok, #"{"access_token":"pasted-0123456789abcdef"}"#)
        }) { server in
            let harness = try LoginHarness(endpoint: server.baseURL, store: CredentialStore(directory: TemporaryDirectory().path))
            let answers = LoginAnswers()
            let flow = LoginFlow(
                configuration: harness.configuration, redirect: try RedirectTarget(parsing: "http://127.0.0.1:1/callback"), answers: answers)
            for line in ["http://127.0.0.1:1/callback?code=c&state=wrong", "code=c", "not a code at all", "   ", "the-code", "second-code"] {
                answers.post(.pasted(line))
            }
            let login = try await flow.run { event in
                if case let .refused(refusal, source) = event { events.update { $0.append("\(refusal) \(source)") } }
            }
            if case .ended = await answers.submit(.startPage(key: nil)) { lateReply.set("ended") }
            return login
        }
        #expect(result.profile.accessToken == "pasted-0123456789abcdef")
        #expect(lateReply.value == "ended", "an answer after the sign-in ended is told so")
        #expect(events.value == ["stateMismatch paste", "stateMissing paste", "unparsable paste"])
        #expect(codes.value == ["the-code"], "single use: the line after the settling one is never exchanged")
    }
}
