import Foundation
import PDSAuth
import PDSAuthTestSupport
import PDSDevServer

/// An in-process dev server plus a profile signed in against it, for tests that then run
/// `pds-auth` processes on that profile.
struct DevSession {
    let server: DevServer
    let base: String
    let home: TemporaryDirectory
    var store: CredentialStore { CredentialStore(directory: home.path) }
    var environment: [String: String] { ["PDS_AUTH_HOME": home.path] }

    static func configuration(accessTokenLifetime: Int = 3600) -> DevServerConfiguration {
        var configuration = DevServerConfiguration.demo(redirectURIs: ["http://127.0.0.1:0/callback"], port: 0)
        configuration.allowsAnyLoopbackPort = true
        configuration.accessTokenLifetime = accessTokenLifetime
        return configuration
    }

    /// Runs `body` with a dev server and a profile `default` signed in through LoginFlow.
    static func with<T: Sendable>(accessTokenLifetime: Int = 3600, _ body: (DevSession) async throws -> T) async throws -> T {
        try await DevServer.withRunning(configuration(accessTokenLifetime: accessTokenLifetime)) { server, base in
            let session = DevSession(server: server, base: base, home: TemporaryDirectory())
            let app = server.configuration.apps.first { $0.clientSecret != nil }!
            let result = try await LoginHarness(endpoint: base, store: session.store, clientID: app.clientID, clientSecret: app.clientSecret)
                .run { startURL in try await approve(startURL: startURL, base: base) }
            _ = try result.get()
            return try await body(session)
        }
    }

    /// Plays the browser through the start page, the consent page and the redirect.
    static func approve(startURL: String, base: String) async throws {
        let browser = ScriptedBrowser()
        let start = try await browser.get(startURL)
        guard let authorize = ScriptedBrowser.link(id: "login", in: start.html) else { throw CLIProcessError(message: "no login link") }
        let consent = try await browser.get(authorize)
        guard let back = try await browser.submit(button: "approve", on: consent, base: base).location else {
            throw CLIProcessError(message: "no redirect after approval")
        }
        _ = try await browser.get(back)
    }

    /// Signs in again as `default` (after a test lost the session on purpose).
    func signInAgain() async throws {
        let app = server.configuration.apps.first { $0.clientSecret != nil }!
        _ = try await LoginHarness(endpoint: base, store: store, clientID: app.clientID, clientSecret: app.clientSecret)
            .run { startURL in try await Self.approve(startURL: startURL, base: base) }.get()
    }

    /// Marks the saved access token as expired, keeping everything else.
    func expireAccessToken() async throws {
        try await store.update { (file: inout CredentialsFile) throws(PDSAuthError) in
            file.profiles["default"]?.expiresAt = Date(timeIntervalSinceNow: -60)
        }
    }

    func fileBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: store.filePath)) }
}
