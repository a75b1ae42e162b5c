import Foundation
import PDSAuthTestSupport
import PDSDevServer
import Testing

@testable import PDSAuth

/// The whole authorization-code round trip in one process: the built-in dev server, the
/// real loopback listener and LoginFlow, and an HTTP client playing the browser.
@Suite struct RoundTripTests {
    static func devConfiguration() -> DevServerConfiguration {
        var configuration = DevServerConfiguration.demo(redirectURIs: ["http://127.0.0.1:0/callback"], port: 0)
        configuration.allowsAnyLoopbackPort = true
        return configuration
    }

    /// Start page → `login` link → consent page → approve (or deny) → back to the listener.
    static func browse(decision: String, base: String, pages: LockedValue<[String]>) -> @Sendable (String) async throws -> Void {
        { startURL in
            let browser = ScriptedBrowser()
            let start = try await browser.get(startURL)
            let authorize = try #require(ScriptedBrowser.link(id: "login", in: start.html))
            #expect(authorize.hasPrefix(base + "/v2/oauth/authorize?"))
            let consent = try await browser.get(authorize)
            #expect(consent.status == 200)
            let answer = try await browser.submit(button: decision, on: consent, base: base)
            let back = try #require(answer.location, "the provider redirects back")
            let page = try await browser.get(back)
            pages.update { $0.append(page.html) }
        }
    }

    @Test func webServerAppSignsInSavesAndRefreshes() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        try await DevServer.withRunning(Self.devConfiguration()) { server, base in
            let app = server.configuration.apps.first { $0.clientSecret != nil }!
            let pages = LockedValue<[String]>([])
            let result = try await LoginHarness(endpoint: base, store: store, clientID: app.clientID, clientSecret: app.clientSecret)
                .run(Self.browse(decision: "approve", base: base, pages: pages))
            let login = try result.get()
            #expect(login.profile.user?.userName == "pdsuser")
            #expect(login.profile.refreshToken != nil && login.profile.expiresAt != nil)
            let html = try #require(pages.value.first)
            #expect(html.contains("Signed in") && html.contains("pdsuser") && html.contains("id=\"reveal\""))
            #expect(!html.contains(app.clientSecret!), "the client secret never reaches the page")
            let saved = try #require(try store.profile("default"))
            #expect(saved.accessToken == login.profile.accessToken && saved.refreshToken == login.profile.refreshToken)
            #expect(abs(saved.expiresAt!.timeIntervalSince(login.profile.expiresAt!)) < 1, "stored to the second")
            #expect(fileMode(store.filePath) == 0o600 && fileMode(store.directory) == 0o700)

            // Refresh rotates the refresh token; the old one is dead afterwards.
            let oldRefresh = try #require(saved.refreshToken)
            let renewed = try await TokenProvider(store: store).validProfile("default", minValid: .zero, force: true)
            #expect(renewed.refreshToken != oldRefresh && renewed.accessToken != saved.accessToken)
            let client = TokenClient(
                http: CurlClient(), tokenURL: saved.endpoints.tokenURL, clientID: app.clientID, clientSecret: app.clientSecret,
                domainID: saved.domainID)
            do throws(PDSAuthError) {
                _ = try await client.request(.refreshToken(oldRefresh))
                Issue.record("a rotated refresh token must be rejected")
            } catch {
                #expect(error.code == .sessionExpired)
            }
            let stats = await server.statistics()
            #expect(stats.tokenSuccesses["authorization_code"] == 1 && stats.tokenSuccesses["refresh_token"] == 1)
        }
    }

    @Test func nativeAppWithPKCEAndNoSecret() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.path)
        try await DevServer.withRunning(Self.devConfiguration()) { server, base in
            let app = server.configuration.apps.first { $0.clientSecret == nil && !$0.redirectURIs.isEmpty }!
            let result = try await LoginHarness(endpoint: base, store: store, clientID: app.clientID, clientSecret: nil)
                .run(Self.browse(decision: "approve", base: base, pages: LockedValue([])))
            #expect(try result.get().profile.clientSecret == nil)
        }
    }

    @Test func denyingConsentSavesNothing() async throws {
        let temp = TemporaryDirectory()
        let store = CredentialStore(directory: temp.file("creds"))
        try await DevServer.withRunning(Self.devConfiguration()) { server, base in
            let app = server.configuration.apps[0]
            let pages = LockedValue<[String]>([])
            let result = try await LoginHarness(endpoint: base, store: store, clientID: app.clientID, clientSecret: app.clientSecret)
                .run(Self.browse(decision: "deny", base: base, pages: pages))
            guard case .failure(let error) = result else {
                Issue.record("expected a refusal")
                return
            }
            #expect(error.code == .authorizationDenied && error.providerError == "access_denied")
            #expect(pages.value.first?.contains("Sign-in denied") == true && pages.value.first?.contains("denied at the consent page") == true)
            #expect(pages.value.first?.contains("provider refused") == false, "the user's own Deny does not blame the provider")
            #expect(pages.value.first?.lowercased().components(separatedBy: "nothing was saved").count == 2, "said once")
            #expect(!FileManager.default.fileExists(atPath: store.filePath))
        }
    }

    @Test func replayedCodeIsRejectedByTheServer() async throws {
        let temp = TemporaryDirectory()
        try await DevServer.withRunning(Self.devConfiguration()) { server, base in
            let app = server.configuration.apps[0]
            let captured = LockedValue<(String, String)?>(nil)
            let result = try await LoginHarness(
                endpoint: base, store: CredentialStore(directory: temp.path), clientID: app.clientID,
                clientSecret: app.clientSecret, usePKCE: false
            ).run { startURL in
                let browser = ScriptedBrowser()
                let start = try await browser.get(startURL)
                let consent = try await browser.get(ScriptedBrowser.link(id: "login", in: start.html)!)
                let back = try await browser.submit(button: "approve", on: consent, base: base).location!
                let query = Dictionary(FormEncoding.decode(back.split(separator: "?")[1]), uniquingKeysWith: { a, _ in a })
                captured.set((query["code"]!, String(back.split(separator: "?")[0])))
                _ = try await browser.get(back)
            }
            _ = try result.get()
            let (code, redirectURI) = try #require(captured.value)
            let client = TokenClient(
                http: CurlClient(), tokenURL: URL(string: base + "/v2/oauth/token")!, clientID: app.clientID,
                clientSecret: app.clientSecret, domainID: server.configuration.domainID)
            do throws(PDSAuthError) {
                _ = try await client.request(.authorizationCode(code: code, redirectURI: redirectURI, codeVerifier: nil))
                Issue.record("a used code must be rejected")
            } catch {
                #expect(error.code == .grantRejected && error.requestID != nil)
            }
        }
    }
}
